package io.slmfleet.api.v1alpha1;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.kubernetes.api.model.Condition;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class FineTuneJobStatus {

    public enum Phase {
        Pending,
        Running,
        Succeeded,
        Failed
    }

    @JsonPropertyDescription("The metadata.generation this status describes.")
    public Long observedGeneration;

    @JsonPropertyDescription("Pending: waiting on inputs or admission; Running; Succeeded: adapter published; Failed: see conditions.")
    public Phase phase;

    @JsonPropertyDescription("When the first training pod started (RFC 3339).")
    public String startTime;

    @JsonPropertyDescription("When the run finished, successfully or not (RFC 3339).")
    public String completionTime;

    @JsonPropertyDescription("Training Jobs created for this run (a Job deleted before it finished is recreated and counted).")
    public Integer attempts;

    @JsonPropertyDescription("Name of the current training Job.")
    public String jobName;

    @JsonPropertyDescription("Where the adapter is (or will be) published.")
    public AdapterLocation adapter;

    @JsonPropertyDescription("Figures from the trainer's one-line JSON termination message.")
    public TrainingMetrics metrics;

    @JsonPropertyDescription("Ready, Complete and Failed.")
    public List<Condition> conditions = new ArrayList<>();

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class AdapterLocation {
        @JsonPropertyDescription("Adapter name.")
        public String name;
        @JsonPropertyDescription("Claim holding it.")
        public String claimName;
        @JsonPropertyDescription("Directory inside the claim.")
        public String path;

        public AdapterLocation() {
        }

        public AdapterLocation(String name, String claimName, String path) {
            this.name = name;
            this.claimName = claimName;
            this.path = path;
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class TrainingMetrics {
        @JsonPropertyDescription("Final training loss.")
        public Double trainLoss;
        @JsonPropertyDescription("Final evaluation loss on the validation split.")
        public Double evalLoss;
        @JsonPropertyDescription("Epochs completed.")
        public Double epochsCompleted;
    }
}
