package io.slmfleet.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;

/** What the candidate must show, on confidence bounds, to take the next step. */
public class DelegationGatesSpec {

    @Required
    @Min(0)
    @Max(1)
    @JsonPropertyDescription("Share of comparisons the candidate must agree with the trusted answer on; a step is taken when "
            + "the agreement's lower confidence bound reaches it, and the delegation rolls back when its upper bound falls below.")
    public Double minAgreement;

    @Min(0)
    @Max(1)
    @Default("0.01")
    @JsonPropertyDescription("Highest share of the candidate's calls, live and shadow, that fail (connection errors, 5xx, 429, "
            + "timeouts), on the upper confidence bound.")
    public Double maxErrorRate = 0.01;

    @Min(0)
    @Max(1)
    @Default("0.02")
    @JsonPropertyDescription("Highest share of the candidate's answers that fail the route's response schema, on the upper "
            + "confidence bound.")
    public Double maxInvalidOutputRate = 0.02;

    @Min(1)
    @Max(100)
    @JsonPropertyDescription("Highest candidate p95 latency over the trusted targets' p95, checked once the candidate serves "
            + "live traffic. Empty: latency is not a gate.")
    public Double maxLatencyRatio;
}
