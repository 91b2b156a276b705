package io.slmfleet.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.kubernetes.api.model.ResourceRequirements;

public class RouterSpec {

    @Min(0)
    @Max(100)
    @Default("2")
    @JsonPropertyDescription("Router pods.")
    public Integer replicas = 2;

    @Pattern("^[^\\s]+$")
    @JsonPropertyDescription("Router image. Empty: the operator's own image, started in router mode.")
    public String image;

    @JsonPropertyDescription("CPU and memory of the router container.")
    public ResourceRequirements resources;

    @JsonPropertyDescription("Secret key holding the bearer tokens callers must present, one per line. Empty: no authentication.")
    public SecretKeyRef authTokensSecret;
}
