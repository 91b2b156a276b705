package io.slmfleet.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** The specialist (or one of its adapters) a delegation moves traffic to. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class CandidateSpec {

    @Required
    @Size(max = 253)
    @Pattern(Names.DNS_1123_SUBDOMAIN)
    @JsonPropertyDescription("SLMSpecialist in this namespace.")
    public String specialist;

    @Size(max = 63)
    @Pattern(Names.DNS_1123_LABEL)
    @JsonPropertyDescription("One of the specialist's adapters. Empty: the base model.")
    public String adapter;

    public CandidateSpec() {
    }

    public CandidateSpec(String specialist, String adapter) {
        this.specialist = specialist;
        this.adapter = adapter;
    }
}
