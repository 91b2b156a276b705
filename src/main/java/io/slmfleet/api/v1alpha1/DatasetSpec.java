package io.slmfleet.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

@ValidationRule(value = "(has(self.volume) ? 1 : 0) + (has(self.configMap) ? 1 : 0) + (has(self.uri) ? 1 : 0) "
        + "+ (has(self.curationJob) ? 1 : 0) == 1",
        message = "dataset needs exactly one source: volume, configMap, uri or curationJob")
@ValidationRule(value = "!has(self.curationJob) || self.format == 'chat'",
        message = "a CurationJob writes chat-format data sets: dataset.format must be chat with dataset.curationJob")
@ValidationRule(value = "!has(self.volume) || has(self.volume.path)",
        message = "dataset.volume.path must name the JSON Lines file (or directory) inside the claim")
public class DatasetSpec {

    public enum Format {
        chat,
        @com.fasterxml.jackson.annotation.JsonProperty("prompt-completion")
        promptCompletion
    }

    @JsonPropertyDescription("JSON Lines on a claim (e.g. curated agent usage); mounted read-only at /data.")
    public ClaimPath volume;

    @JsonPropertyDescription("A small JSON Lines dataset in a ConfigMap key; mounted read-only at /data.")
    public ConfigMapKeyRef configMap;

    @Size(max = 253)
    @Pattern(Names.DNS_1123_SUBDOMAIN)
    @JsonPropertyDescription("A CurationJob in the same namespace: trains on its train.jsonl and validates on its "
            + "validation.jsonl (validationSplit is not used). No training Job starts before it has succeeded.")
    public String curationJob;

    @Pattern("^(hf|s3|gs|https)://[^\\s]+$")
    @JsonPropertyDescription("Remote dataset the trainer downloads: hf://, s3://, gs:// or https:// URI.")
    public String uri;

    @Default("chat")
    @JsonPropertyDescription("chat: one {\"messages\": [...]} per line; prompt-completion: one {\"prompt\", \"completion\"} per line.")
    public Format format = Format.chat;

    @Min(0)
    @Max(0.5)
    @Default("0.1")
    @JsonPropertyDescription("Share of the dataset held out for evaluation, in [0, 0.5].")
    public Double validationSplit = 0.1;
}
