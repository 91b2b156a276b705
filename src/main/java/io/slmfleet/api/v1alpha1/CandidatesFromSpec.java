package io.slmfleet.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** Where a tournament's candidates come from: offline evidence chooses who enters, live evidence promotes. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class CandidatesFromSpec {

    @Required
    @Size(max = 253)
    @Pattern(Names.DNS_1123_SUBDOMAIN)
    @JsonPropertyDescription("An EvaluationJob in this namespace. Once it Succeeded, its SLMSpecialist candidates whose "
            + "agreement lower bound cleared its gates.minAgreement enter the tournament, cheapest costPer1k first, at most 4; "
            + "until then the delegation waits (EvaluationNotFound, EvaluationNotComplete, EvaluationFailed, "
            + "NoCandidatePassed).")
    public String evaluationJob;

    public CandidatesFromSpec() {
    }

    public CandidatesFromSpec(String evaluationJob) {
        this.evaluationJob = evaluationJob;
    }
}
