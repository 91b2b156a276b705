package io.slmfleet.api.v1alpha1;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.kubernetes.api.model.Condition;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class AgentRouteStatus {

    public enum Phase {
        Pending,
        Ready,
        Degraded,
        Failed
    }

    @JsonPropertyDescription("The metadata.generation this status describes.")
    public Long observedGeneration;

    @JsonPropertyDescription("Pending, Ready, Degraded (some targets unready or falling back) or Failed.")
    public Phase phase;

    @JsonPropertyDescription("sha256 of the routing table the router serves.")
    public String configHash;

    @JsonPropertyDescription("OpenAI-compatible base URL of the router inside the cluster.")
    public String endpoint;

    @JsonPropertyDescription("Every target with its endpoint, readiness and effective weight.")
    public List<TargetStatus> targets = new ArrayList<>();

    @JsonPropertyDescription("Router pods that pass their readiness probe.")
    public Integer routerReadyReplicas;

    @JsonPropertyDescription("Ready, TargetsReady and RouterReady.")
    public List<Condition> conditions = new ArrayList<>();

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class TargetStatus {
        @JsonPropertyDescription("Route task.")
        public String task;
        @JsonPropertyDescription("SLMSpecialist.")
        public String specialist;
        @JsonPropertyDescription("Adapter, when one is targeted.")
        public String adapter;
        @JsonPropertyDescription("Specialist endpoint.")
        public String endpoint;
        @JsonPropertyDescription("Whether the specialist is Ready and, for an adapter, the adapter Mounted.")
        public Boolean ready;
        @JsonPropertyDescription("Weight the served routing table gives it, after redistributing the weights of unready targets; "
                + "0: it receives no traffic.")
        public Integer weight;
        @JsonPropertyDescription("Why it is not ready.")
        public String reason;
    }
}
