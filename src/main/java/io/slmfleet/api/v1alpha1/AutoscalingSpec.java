package io.slmfleet.api.v1alpha1;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricSpec;

@ValidationRule(value = "self.minReplicas <= self.maxReplicas",
        message = "autoscaling.minReplicas must not exceed autoscaling.maxReplicas")
public class AutoscalingSpec {

    @Min(1)
    @Default("1")
    @JsonPropertyDescription("Lower bound of the replica count.")
    public Integer minReplicas = 1;

    @Required
    @Min(1)
    @Max(1000)
    @JsonPropertyDescription("Upper bound of the replica count. Each replica needs its own GPUs.")
    public Integer maxReplicas;

    @Size(max = 8)
    @JsonPropertyDescription("autoscaling/v2 metrics, e.g. a Pods metric on NIM's num_requests_waiting. Empty: 80% average CPU.")
    public List<MetricSpec> metrics = new ArrayList<>();
}
