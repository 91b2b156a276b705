package io.slmfleet.api.v1alpha1;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.slmfleet.api.ListMapKeys;

public class EvaluationJobSpec {

    @Required
    @JsonPropertyDescription("The evaluation set: chat-format JSON Lines whose last assistant message is the reference answer.")
    public Dataset dataset;

    @Required
    @Size(min = 1, max = 8)
    @ListMapKeys("name")
    @ValidationRule(value = "self.all(a, self.filter(b, has(a.specialist)"
            + " ? has(b.specialist) && b.specialist == a.specialist"
            + " && (has(a.adapter) ? has(b.adapter) && b.adapter == a.adapter : !has(b.adapter))"
            + " : has(a.agentRouteFallback) ? has(b.agentRouteFallback) && b.agentRouteFallback == a.agentRouteFallback"
            + " : has(a.endpoint) ? has(b.endpoint) && b.endpoint.url == a.endpoint.url && b.endpoint.model == a.endpoint.model"
            + " : !has(b.specialist) && !has(b.agentRouteFallback) && !has(b.endpoint)).size() == 1)",
            message = "the same model is named by two candidates (same specialist and adapter, route or endpoint and model): "
                    + "each is asked once")
    @JsonPropertyDescription("The models to rank, 1 to 8, names unique. Each is asked every example once.")
    public List<Candidate> candidates = new ArrayList<>();

    @Default("{}")
    @JsonPropertyDescription("How an answer is compared with the reference: as the router's shadow comparisons do.")
    public Scoring scoring = new Scoring();

    @Default("{}")
    @JsonPropertyDescription("How much is asked, and how fast.")
    public Limits limits = new Limits();

    @Default("{}")
    @JsonPropertyDescription("What a candidate must clear to be recommended.")
    public Gates gates = new Gates();

    @JsonPropertyDescription("Where the per-example verdicts are written (report.jsonl in this directory). Empty: status only.")
    public ClaimPath output;

    @Min(60)
    @Default("3600")
    @JsonPropertyDescription("Seconds the whole run (all attempts) may take before it fails with DeadlineExceeded.")
    public Long activeDeadlineSeconds = 3600L;

    @Min(0)
    @Max(10)
    @Default("1")
    @JsonPropertyDescription("Retries after a failed attempt. Bad input (an empty data set, a missing key, exit code 2) is "
            + "never retried.")
    public Integer backoffLimit = 1;

    @Min(0)
    @JsonPropertyDescription("Seconds to keep the finished Job and its pod (for logs) before they are deleted. Empty: kept "
            + "until the EvaluationJob is deleted.")
    public Integer ttlSecondsAfterFinished;

    @ValidationRule(value = "(has(self.curationJob) ? 1 : 0) + (has(self.volume) ? 1 : 0) == 1",
            message = "dataset needs exactly one source: curationJob or volume")
    @ValidationRule(value = "!has(self.volume) || has(self.volume.path)",
            message = "dataset.volume.path must name the JSON Lines file inside the claim")
    public static class Dataset {

        @Size(max = 253)
        @Pattern(Names.DNS_1123_SUBDOMAIN)
        @JsonPropertyDescription("A CurationJob in the same namespace: its eval.jsonl. No evaluation starts before it has "
                + "succeeded.")
        public String curationJob;

        @JsonPropertyDescription("A JSON Lines file on a claim; mounted read-only.")
        public ClaimPath volume;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @ValidationRule(value = "(has(self.specialist) ? 1 : 0) + (has(self.agentRouteFallback) ? 1 : 0) "
            + "+ (has(self.endpoint) ? 1 : 0) == 1",
            message = "a candidate needs exactly one of specialist, agentRouteFallback or endpoint")
    @ValidationRule(value = "!has(self.adapter) || has(self.specialist)",
            message = "adapter is one of a specialist's adapters: set specialist too")
    public static class Candidate {

        @Required
        @Size(max = 63)
        @Pattern(Names.DNS_1123_LABEL)
        @JsonPropertyDescription("The candidate's name in the leaderboard.")
        public String name;

        @Size(max = 253)
        @Pattern(Names.DNS_1123_SUBDOMAIN)
        @JsonPropertyDescription("An SLMSpecialist in this namespace; the evaluation waits until it is Ready.")
        public String specialist;

        @Size(max = 63)
        @Pattern(Names.DNS_1123_LABEL)
        @JsonPropertyDescription("One of the specialist's adapters; the evaluation waits until it is Mounted. Empty: the "
                + "base model.")
        public String adapter;

        @Size(max = 253)
        @Pattern(Names.DNS_1123_SUBDOMAIN)
        @JsonPropertyDescription("An AgentRoute in this namespace whose fallback LLM (the teacher) is asked: the ceiling "
                + "the specialists are measured against. Priced at the fallback's pricing.")
        public String agentRouteFallback;

        @JsonPropertyDescription("Any OpenAI-compatible endpoint.")
        public Endpoint endpoint;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class Endpoint {

        @Required
        @Size(max = 2048)
        @Pattern("^https?://[^\\s]+$")
        @JsonPropertyDescription("OpenAI-compatible base URL, e.g. https://llm.example.com/v1.")
        public String url;

        @Required
        @Size(min = 1, max = 253)
        @JsonPropertyDescription("Model id sent with every request.")
        public String model;

        @JsonPropertyDescription("Secret key with the API key, sent as a bearer token to this endpoint only.")
        public SecretKeyRef apiKeySecret;

        @JsonPropertyDescription("Its token prices, for the cost column. Absent: the cost is unknown and ranks last.")
        public LlmPricingSpec pricing;
    }

    public static class Scoring {

        @Min(0)
        @Max(1)
        @Default("0.9")
        @JsonPropertyDescription("A comparison agrees when its score is at least this (a delegation's agreementThreshold).")
        public Double agreementThreshold = 0.9;

        @JsonPropertyDescription("A JSON Schema answers must satisfy (a route's response schema): an answer that does not is "
                + "invalid, and a reference that does not is not counted.")
        public ResponseSchemaSpec responseSchema;
    }

    public static class Limits {

        @Min(0)
        @Max(100000)
        @Default("0")
        @JsonPropertyDescription("Only the first N usable examples. 0: all of them.")
        public Integer maxExamples = 0;

        @Min(1)
        @Max(64)
        @Default("4")
        @JsonPropertyDescription("Calls in flight at once, over all candidates.")
        public Integer concurrency = 4;

        @Min(1)
        @Max(3600)
        @Default("60")
        @JsonPropertyDescription("Seconds a call may take, to the whole answer; a slower call is an error, not a disagreement.")
        public Integer timeoutSeconds = 60;
    }

    public static class Gates {

        @Min(0)
        @Max(1)
        @Default("0.95")
        @JsonPropertyDescription("The lower confidence bound of the agreement rate a candidate must clear.")
        public Double minAgreement = 0.95;

        @Min(0.5)
        @Max(0.999)
        @Default("0.95")
        @JsonPropertyDescription("Confidence of the bounds, in [0.5, 0.999].")
        public Double confidence = 0.95;
    }
}
