package io.slmfleet.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

@ValidationRule(value = "!(self.method == 'qlora' && self.trainer.preset == 'nemo')",
        message = "the nemo preset has no 4-bit (QLoRA) path: use method lora, or the trl or torchtune preset for qlora")
public class FineTuneJobSpec {

    public enum Method {
        lora,
        qlora
    }

    @Required
    @JsonPropertyDescription("The model the adapter is trained on; the serving NIM must serve the same base model.")
    public BaseModelSpec baseModel;

    @Required
    @JsonPropertyDescription("The curated training data.")
    public DatasetSpec dataset;

    @Default("lora")
    @JsonPropertyDescription("lora: 16-bit base weights; qlora: 4-bit quantized base weights (less GPU memory, slower).")
    public Method method = Method.lora;

    @Default("{}")
    @JsonPropertyDescription("LoRA and training hyperparameters, mapped onto the trainer's own options.")
    public HyperparametersSpec hyperparameters = new HyperparametersSpec();

    @Default("{}")
    @JsonPropertyDescription("The training program.")
    public TrainerSpec trainer = new TrainerSpec();

    @Required
    @JsonPropertyDescription("GPUs of the training pod.")
    public GpuSpec gpu;

    @Required
    @JsonPropertyDescription("Where the adapter is published.")
    public OutputSpec output;

    @Min(60)
    @Default("14400")
    @JsonPropertyDescription("Seconds the whole run (all attempts) may take before it fails with DeadlineExceeded.")
    public Long activeDeadlineSeconds = 14400L;

    @Min(0)
    @Max(10)
    @Default("2")
    @JsonPropertyDescription("Retries after a failed attempt. Configuration errors (exit code 2) are never retried.")
    public Integer backoffLimit = 2;

    @Min(0)
    @JsonPropertyDescription("Seconds to keep the finished Job and its pods (for logs) before they are deleted. Empty: kept "
            + "until the FineTuneJob is deleted.")
    public Integer ttlSecondsAfterFinished;

    @Size(max = 253)
    @Pattern(Names.DNS_1123_SUBDOMAIN)
    @JsonPropertyDescription("Kueue LocalQueue to admit the Job through (label kueue.x-k8s.io/queue-name). Empty: no queueing.")
    public String queueName;
}
