package io.slmfleet.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** An OpenAI-compatible LLM that scores how well the candidate's answer agrees with the trusted one. */
public class JudgeSpec {

    @Required
    @Pattern("^https?://[^\\s]+$")
    @JsonPropertyDescription("OpenAI-compatible base URL of the judge, e.g. https://llm.example.com/v1.")
    public String endpoint;

    @Required
    @Size(min = 1, max = 253)
    @JsonPropertyDescription("Model id sent to the judge.")
    public String model;

    @JsonPropertyDescription("Secret key with the judge's API key, sent as a bearer token to the judge only.")
    public SecretKeyRef apiKeySecret;

    @JsonPropertyDescription("The judge's token prices, in USD, for status.economics (judgeLlm). Absent: the judge's calls are "
            + "priced at spec.fallback.pricing; set them when the judge is another model.")
    public LlmPricingSpec pricing;
}
