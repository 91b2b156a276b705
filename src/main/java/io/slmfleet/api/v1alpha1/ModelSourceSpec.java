package io.slmfleet.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.ValidationRule;

@ValidationRule(value = "has(self.uri) != has(self.volume)",
        message = "baseModel.source needs exactly one of uri or volume")
public class ModelSourceSpec {

    @Pattern("^(hf|s3|gs|https|ngc)://[^\\s]+$")
    @JsonPropertyDescription("Remote weights: hf://<org>/<repo>, s3://, gs://, https:// or ngc:// URI.")
    public String uri;

    @JsonPropertyDescription("Weights already on a claim (a Hugging Face style model directory); mounted read-only at /model.")
    public ClaimPath volume;
}
