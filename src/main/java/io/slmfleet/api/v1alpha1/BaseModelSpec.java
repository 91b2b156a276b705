package io.slmfleet.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

public class BaseModelSpec {

    @Required
    @Size(min = 1, max = 253)
    @JsonPropertyDescription("Model id as the serving NIM calls its base model, e.g. meta/llama-3.2-1b-instruct.")
    public String name;

    @Required
    @JsonPropertyDescription("Where the trainer loads the base weights from.")
    public ModelSourceSpec source;

    @JsonPropertyDescription("Secret key with a token for the source (e.g. HF_TOKEN), given to the trainer as env from the Secret.")
    public SecretKeyRef credentialsSecret;
}
