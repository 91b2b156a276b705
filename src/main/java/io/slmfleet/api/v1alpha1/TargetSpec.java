package io.slmfleet.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

public class TargetSpec {

    @Required
    @Size(max = 253)
    @Pattern(Names.DNS_1123_SUBDOMAIN)
    @JsonPropertyDescription("SLMSpecialist in this namespace.")
    public String specialist;

    @Size(max = 63)
    @Pattern(Names.DNS_1123_LABEL)
    @JsonPropertyDescription("One of the specialist's adapters; the request's model becomes this name. Empty: the base model.")
    public String adapter;

    @Min(0)
    @Max(100)
    @Default("100")
    @JsonPropertyDescription("Relative weight in [0, 100] among the route's ready targets.")
    public Integer weight = 100;

    public TargetSpec() {
    }

    public TargetSpec(String specialist, String adapter, Integer weight) {
        this.specialist = specialist;
        this.adapter = adapter;
        this.weight = weight;
    }
}
