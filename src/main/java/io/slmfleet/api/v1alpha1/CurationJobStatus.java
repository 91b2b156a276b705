package io.slmfleet.api.v1alpha1;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.kubernetes.api.model.Condition;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class CurationJobStatus {

    public enum Phase {
        Pending,
        Running,
        Succeeded,
        Failed
    }

    @JsonPropertyDescription("The metadata.generation this status describes.")
    public Long observedGeneration;

    @JsonPropertyDescription("Pending: waiting on its claims or its pod; Running; Succeeded: data set written; Failed: see "
            + "conditions (NoRecords, TooFewRecords, OutputExists, ...).")
    public Phase phase;

    @JsonPropertyDescription("When the curation pod started (RFC 3339).")
    public String startTime;

    @JsonPropertyDescription("When the run finished, successfully or not (RFC 3339).")
    public String completionTime;

    @JsonPropertyDescription("Name of the curation Job.")
    public String jobName;

    @JsonPropertyDescription("Records read, kept and dropped, from the curation pod's summary.")
    public Records records;

    @JsonPropertyDescription("Records in each output file.")
    public SplitCounts split;

    @JsonPropertyDescription("The data set's files, as paths inside the output claim.")
    public Files files;

    @JsonPropertyDescription("What the selected traffic is, grouped by sub-task (system prompt, tools, response format), "
            + "largest first: traffic worth a specialist.")
    public List<TaskCluster> taskClusters;

    @JsonPropertyDescription("Ready, Complete and Failed.")
    public List<Condition> conditions = new ArrayList<>();

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class Records {
        @JsonPropertyDescription("Records read (well-formed or not).")
        public Long read;
        @JsonPropertyDescription("Records written to the data set.")
        public Long kept;
        @JsonPropertyDescription("Records dropped, by reason (duplicate, notTeacher, error, invalidOutput, tooLong, tooShort, "
                + "malformed, otherSchemaVersion, notSelected).")
        public Map<String, Long> dropped = new LinkedHashMap<>();
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class SplitCounts {
        @JsonPropertyDescription("Records in train.jsonl.")
        public Long train;
        @JsonPropertyDescription("Records in validation.jsonl.")
        public Long validation;
        @JsonPropertyDescription("Records in eval.jsonl.")
        public Long eval;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class Files {
        @JsonPropertyDescription("Training set (chat-format JSON Lines).")
        public String train;
        @JsonPropertyDescription("Validation set.")
        public String validation;
        @JsonPropertyDescription("Held-out evaluation set.")
        public String eval;
        @JsonPropertyDescription("Inputs read, filters, counts and the sha256 of every file.")
        public String manifest;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class TaskCluster {
        @JsonPropertyDescription("Short hash of the normalised system prompt, tool-name set and response format.")
        public String fingerprint;
        @JsonPropertyDescription("Records in this cluster.")
        public Long records;
        @JsonPropertyDescription("Share of the selected records, in [0, 1].")
        public Double share;
        @JsonPropertyDescription("A task name suggested for a route or a specialist.")
        public String suggestedTask;
        @JsonPropertyDescription("Tool names the requests offered.")
        public List<String> tools;
        @JsonPropertyDescription("One redacted example of the user's request, shortened.")
        public String example;
    }
}
