package io.slmfleet.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.generator.annotation.Required;

public class ResponseSchemaSpec {

    @Required
    @JsonPropertyDescription("ConfigMap key holding the JSON Schema document.")
    public ConfigMapKeyRef configMapRef;
}
