package io.slmfleet.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;

@ValidationRule(value = "!self.enabled || has(self.volume)",
        message = "usageCapture.volume is required when usage capture is enabled")
public class UsageCaptureSpec {

    @Default("false")
    @JsonPropertyDescription("Write sampled request/response records as JSON Lines.")
    public Boolean enabled = false;

    @Min(0)
    @Max(1)
    @Default("0.1")
    @JsonPropertyDescription("Share of requests recorded, in [0, 1].")
    public Double sampleRate = 0.1;

    @Default("true")
    @JsonPropertyDescription("Redact e-mail addresses, phone and card numbers, IP addresses and credentials before writing.")
    public Boolean redactPII = true;

    @JsonPropertyDescription("Directory (a claim and a path in it) the records are written to.")
    public ClaimPath volume;
}
