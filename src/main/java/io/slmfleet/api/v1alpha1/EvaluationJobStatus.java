package io.slmfleet.api.v1alpha1;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.kubernetes.api.model.Condition;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class EvaluationJobStatus {

    public enum Phase {
        Pending,
        Running,
        Succeeded,
        Failed
    }

    @JsonPropertyDescription("The metadata.generation this status describes.")
    public Long observedGeneration;

    @JsonPropertyDescription("Pending: waiting on its data set, its candidates or its pod; Running; Succeeded: ranked; "
            + "Failed: see conditions (EmptyDataset, NoUsableExample, ...).")
    public Phase phase;

    @JsonPropertyDescription("When the evaluation pod started (RFC 3339).")
    public String startTime;

    @JsonPropertyDescription("When the run finished, successfully or not (RFC 3339).")
    public String completionTime;

    @JsonPropertyDescription("Name of the evaluation Job.")
    public String jobName;

    @JsonPropertyDescription("Examples asked of every candidate.")
    public Long examples;

    @JsonPropertyDescription("Lines of the data set that could not be evaluated (malformed, no reference answer).")
    public Long skipped;

    @JsonPropertyDescription("One row per candidate, in the spec's order.")
    public List<LeaderboardRow> leaderboard;

    @JsonPropertyDescription("The cheapest candidate whose agreement lower bound clears gates.minAgreement, or none and why.")
    public Recommendation recommendation;

    @JsonPropertyDescription("The per-example verdicts (JSON Lines), as a path inside the output claim.")
    public String report;

    @JsonPropertyDescription("Ready, Complete and Failed.")
    public List<Condition> conditions = new ArrayList<>();

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class LeaderboardRow {
        @JsonPropertyDescription("The candidate's name in the spec.")
        public String name;
        @JsonPropertyDescription("Examples asked.")
        public Long examples;
        @JsonPropertyDescription("Answers that agreed with the reference.")
        public Long agree;
        @JsonPropertyDescription("Answers that did not.")
        public Long disagree;
        @JsonPropertyDescription("Answers that failed the response schema.")
        public Long invalid;
        @JsonPropertyDescription("Calls that failed or timed out: errors, never disagreements.")
        public Long errors;
        @JsonPropertyDescription("References that failed the response schema, not counted.")
        public Long referenceErrors;
        @JsonPropertyDescription("Share of judged comparisons that agreed.")
        public Double agreement;
        @JsonPropertyDescription("Lower confidence bound of the agreement.")
        public Double agreementLower;
        @JsonPropertyDescription("Upper confidence bound of the agreement.")
        public Double agreementUpper;
        @JsonPropertyDescription("Mean score of the judged comparisons, in [0, 1].")
        public Double meanScore;
        @JsonPropertyDescription("Share of answers that failed the response schema.")
        public Double invalidRate;
        @JsonPropertyDescription("Share of calls that failed.")
        public Double errorRate;
        @JsonPropertyDescription("Median latency of the answered calls, milliseconds.")
        public Double p50Millis;
        @JsonPropertyDescription("95th percentile latency of the answered calls, milliseconds.")
        public Double p95Millis;
        @JsonPropertyDescription("Output tokens per second of a call, from the answers' usage.")
        public Double outputTokensPerSecond;
        @JsonPropertyDescription("USD per 1,000 requests: GPU price × measured time per request at the measured concurrency, "
                + "or token prices × tokens. Absent: no price is known.")
        public Double costPer1k;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class Recommendation {
        @JsonPropertyDescription("The recommended candidate; absent when none clears the gate.")
        public String candidate;
        @JsonPropertyDescription("Why it, or why none.")
        public String reason;
    }
}
