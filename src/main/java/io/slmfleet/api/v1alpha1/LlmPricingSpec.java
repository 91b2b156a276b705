package io.slmfleet.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;

/** What the fallback LLM charges, for the AgentRoute's economics. */
public class LlmPricingSpec {

    @Required
    @Min(0)
    @JsonPropertyDescription("USD per million input (prompt) tokens.")
    public Double inputPerMillionTokens;

    @Required
    @Min(0)
    @JsonPropertyDescription("USD per million output (completion) tokens.")
    public Double outputPerMillionTokens;
}
