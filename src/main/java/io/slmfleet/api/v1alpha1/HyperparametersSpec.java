package io.slmfleet.api.v1alpha1;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.slmfleet.api.ItemMaxLength;

public class HyperparametersSpec {

    /** Which tokens the loss is computed on, the same in every preset. */
    public enum TrainOn {
        /** The assistant's turns (chat) or the completion (prompt-completion): the model learns to answer. */
        assistant,
        /** Every token, prompts and system and tool messages included. */
        all
    }

    @Min(1)
    @Max(256)
    @Default("16")
    @JsonPropertyDescription("LoRA rank r, in [1, 256].")
    public Integer rank = 16;

    @Min(1)
    @Max(1024)
    @Default("32")
    @JsonPropertyDescription("LoRA alpha (scaling), in [1, 1024].")
    public Integer alpha = 32;

    @Min(0)
    @Max(value = 1, inclusive = false)
    @Default("0.05")
    @JsonPropertyDescription("LoRA dropout, in [0, 1).")
    public Double dropout = 0.05;

    @Min(1)
    @Max(100)
    @Default("1")
    @JsonPropertyDescription("Passes over the training set.")
    public Integer epochs = 1;

    @Min(value = 0, inclusive = false)
    @Max(value = 1, inclusive = false)
    @Default("0.0001")
    @JsonPropertyDescription("Peak learning rate, in (0, 1).")
    public Double learningRate = 1.0e-4;

    @Min(1)
    @Max(1024)
    @Default("8")
    @JsonPropertyDescription("Examples per optimizer step per GPU.")
    public Integer batchSize = 8;

    @Min(128)
    @Max(1048576)
    @Default("4096")
    @JsonPropertyDescription("Longest tokenized example; longer ones are truncated.")
    public Integer maxSeqLength = 4096;

    @Size(max = 16)
    @ItemMaxLength(128)
    // NIM loads Hugging Face LoRA adapters only on these modules (NIM for LLMs, peft.html, "Hugging Face Transformers
    // format"); an adapter on any other module trains, publishes and is never served. NimContractTest pins the list.
    @ValidationRule(value = "self.all(m, m in ['q_proj', 'k_proj', 'v_proj', 'o_proj', 'gate_proj', 'up_proj', 'down_proj'])",
            message = "targetModules entries must be among q_proj, k_proj, v_proj, o_proj, gate_proj, up_proj and down_proj: "
                    + "the modules NIM serves LoRA adapters on")
    @JsonPropertyDescription("Modules LoRA attaches to, among q_proj, k_proj, v_proj, o_proj, gate_proj, up_proj and "
            + "down_proj (those NIM serves adapters on). Empty: the trainer's default for the model.")
    public List<String> targetModules = new ArrayList<>();

    @Default("assistant")
    @JsonPropertyDescription("Tokens the loss is computed on, in every preset: assistant (the default: assistant turns of "
            + "chat data, the completion of prompt-completion data) or all (system, user and tool messages too).")
    public TrainOn trainOn = TrainOn.assistant;
}
