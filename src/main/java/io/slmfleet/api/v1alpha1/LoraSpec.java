package io.slmfleet.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;

/** NIM's LoRA settings (NIM_MAX_GPU_LORAS, NIM_MAX_CPU_LORAS, NIM_MAX_LORA_RANK, NIM_PEFT_REFRESH_INTERVAL). */
@ValidationRule(value = "self.maxCpuLoras >= self.maxGpuLoras",
        message = "lora.maxCpuLoras must be at least lora.maxGpuLoras: adapters on the GPU are also cached in host memory")
// vLLM, NIM's engine, accepts only these as max_lora_rank (LoRAConfig's possible ranks); NimContractTest pins them.
@ValidationRule(value = "self.maxRank in [8, 16, 32, 64, 128, 256]",
        message = "lora.maxRank must be one of 8, 16, 32, 64, 128 or 256 (the ranks NIM's vLLM engine accepts as max_lora_rank)")
public class LoraSpec {

    /** Set on every NIM that serves adapters, so that NIM's own default (which has changed between releases) never decides. */
    public static final int DEFAULT_MAX_RANK = 32;

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

    @Default("32")
    @JsonPropertyDescription("NIM_MAX_LORA_RANK: the highest LoRA rank this NIM loads; GPU memory for adapters is reserved "
            + "at this rank. An adapter of a FineTuneJob that trains a higher rank is refused (adapter state Failed).")
    public Integer maxRank = DEFAULT_MAX_RANK;

    @Min(5)
    @Max(3600)
    @Default("60")
    @JsonPropertyDescription("NIM_PEFT_REFRESH_INTERVAL: seconds between rescans of the adapter directory; a newly published "
            + "adapter is servable within this time, without a restart.")
    public Integer refreshIntervalSeconds = 60;
}
