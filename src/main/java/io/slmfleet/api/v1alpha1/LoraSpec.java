package io.slmfleet.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;

/** NIM's LoRA settings (NIM_MAX_GPU_LORAS, NIM_MAX_CPU_LORAS, NIM_PEFT_REFRESH_INTERVAL). */
@ValidationRule(value = "self.maxCpuLoras >= self.maxGpuLoras",
        message = "lora.maxCpuLoras must be at least lora.maxGpuLoras: adapters on the GPU are also cached in host memory")
public class LoraSpec {

    @Min(1)
    @Max(256)
    @Default("8")
    @JsonPropertyDescription("NIM_MAX_GPU_LORAS: adapters kept in GPU memory at once.")
    public Integer maxGpuLoras = 8;

    @Min(1)
    @Max(1024)
    @Default("16")
    @JsonPropertyDescription("NIM_MAX_CPU_LORAS: adapters kept in host memory at once.")
    public Integer maxCpuLoras = 16;

    @Min(5)
    @Max(3600)
    @Default("60")
    @JsonPropertyDescription("NIM_PEFT_REFRESH_INTERVAL: seconds between rescans of the adapter directory; a newly published "
            + "adapter is servable within this time, without a restart.")
    public Integer refreshIntervalSeconds = 60;
}
