package io.slmfleet.api.v1alpha1;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.kubernetes.api.model.Condition;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class SLMSpecialistStatus {

    public enum Phase {
        Pending,
        Progressing,
        Ready,
        Degraded,
        Failed
    }

    @JsonPropertyDescription("The metadata.generation this status describes.")
    public Long observedGeneration;

    @JsonPropertyDescription("Pending: waiting on a reference or on scheduling; Progressing: pods starting or rolling; Ready: all "
            + "replicas serve; Degraded: serving with fewer replicas than wanted; Failed: cannot serve without a change.")
    public Phase phase;

    @JsonPropertyDescription("NIM pods that exist.")
    public Integer replicas;

    @JsonPropertyDescription("NIM pods that pass their readiness probe.")
    public Integer readyReplicas;

    @JsonPropertyDescription("OpenAI-compatible base URL of the specialist inside the cluster.")
    public String endpoint;

    @JsonPropertyDescription("The autoscaler in use, when autoscaling is set.")
    public AutoscalingStatus autoscaling;

    @JsonPropertyDescription("Each listed adapter and whether NIM can serve it.")
    public List<AdapterStatus> adapters = new ArrayList<>();

    @JsonPropertyDescription("Ready, Progressing, Degraded, AdaptersReady and, with autoscaling, AutoscalerReady.")
    public List<Condition> conditions = new ArrayList<>();
}
