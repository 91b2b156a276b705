package io.slmfleet.api.v1alpha1;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

public class FallbackSpec {

    public enum Reason {
        error,
        timeout,
        invalidOutput,
        unknownTask
    }

    @Required
    @Pattern("^https?://[^\\s]+$")
    @JsonPropertyDescription("OpenAI-compatible base URL of the LLM, e.g. https://llm.example.com/v1.")
    public String endpoint;

    @Required
    @Size(min = 1, max = 253)
    @JsonPropertyDescription("Model id sent to the LLM.")
    public String model;

    @JsonPropertyDescription("Secret key with the LLM API key, sent as a bearer token to the fallback only.")
    public SecretKeyRef apiKeySecret;

    @Size(max = 4)
    @JsonPropertyDescription("When to fall back: error (connection errors, 5xx, 429), timeout, invalidOutput (response schema), "
            + "unknownTask. Empty: all of them.")
    public List<Reason> triggers = new ArrayList<>();

    @JsonPropertyDescription("The LLM's token prices, in USD: status.economics compares the fleet's cost with them. Absent: "
            + "the economics show traffic and say the prices are missing.")
    public LlmPricingSpec pricing;
}
