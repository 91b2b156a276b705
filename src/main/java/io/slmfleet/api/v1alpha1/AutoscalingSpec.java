package io.slmfleet.api.v1alpha1;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricSpec;

@ValidationRule(value = "self.minReplicas <= self.maxReplicas",
        message = "autoscaling.minReplicas must not exceed autoscaling.maxReplicas")
@ValidationRule(value = "!has(self.signal) || self.signal == 'metrics' || !has(self.metrics) || size(self.metrics) == 0",
        message = "autoscaling.metrics is read only with autoscaling.signal metrics: set signal: metrics (or no signal), "
                + "or remove metrics")
@ValidationRule(value = "!has(self.signal) || self.signal != 'metrics' || (has(self.metrics) && size(self.metrics) > 0)",
        message = "autoscaling.signal metrics needs at least one entry in autoscaling.metrics")
@ValidationRule(value = "!has(self.target) || (has(self.signal) ? self.signal != 'metrics' "
        + ": !has(self.metrics) || size(self.metrics) == 0)",
        message = "autoscaling.target does not apply to signal metrics: each entry of autoscaling.metrics carries its own target")
@ValidationRule(value = "!has(self.target) || (has(self.signal) && self.signal == 'requestsWaiting') || self.target <= 100",
        message = "autoscaling.target is a percentage for signal cpu and kvCacheUsage: at most 100")
public class AutoscalingSpec {

    /** What the replica count follows. */
    public enum Signal {
        /** Average CPU utilisation of the NIM pods (an HPA Resource metric), as before signals existed. */
        cpu,
        /** NIM's num_requests_waiting per pod: requests queued because the running batch is full. */
        requestsWaiting,
        /** NIM's gpu_cache_usage_perc per pod: the share of the GPU's KV cache in use. */
        kvCacheUsage,
        /** The free-form autoscaling/v2 metrics list, given as is to the HPA. */
        metrics
    }

    @JsonPropertyDescription("What the replica count follows: cpu (average CPU utilisation), requestsWaiting (NIM's "
            + "num_requests_waiting per pod), kvCacheUsage (NIM's gpu_cache_usage_perc per pod) or metrics (the list in "
            + "metrics). requestsWaiting and kvCacheUsage run on KEDA when its ScaledObject API is served, else on an HPA "
            + "through a metrics adapter. Empty: metrics when the metrics list has entries, else cpu.")
    public Signal signal;

    /** The signal in effect: the one set, or what an autoscaling spec written before signals existed meant. */
    public Signal effectiveSignal() {
        if (signal != null) {
            return signal;
        }
        return metrics != null && !metrics.isEmpty() ? Signal.metrics : Signal.cpu;
    }

    @Min(1)
    @Max(1000)
    @JsonPropertyDescription("The signal's target per pod. Empty: cpu 80 (percent), requestsWaiting 4 (requests), "
            + "kvCacheUsage 75 (percent). Not for signal metrics.")
    public Integer target;

    @Min(1)
    @Default("1")
    @JsonPropertyDescription("Lower bound of the replica count. Not 0 yet: at zero replicas NIM's metrics are gone, and "
            + "the router's demand signal that would wake the specialist is not built.")
    public Integer minReplicas = 1;

    @Required
    @Min(1)
    @Max(1000)
    @JsonPropertyDescription("Upper bound of the replica count. Each replica needs its own GPUs.")
    public Integer maxReplicas;

    @Pattern(DelegationSpec.INTERVAL)
    @JsonPropertyDescription("Least time the signal must stay low before replicas are removed (the scale-down "
            + "stabilization window), e.g. 10m. Empty: the autoscaler's default (5m).")
    public String cooldown;

    @Size(max = 8)
    @JsonPropertyDescription("With signal metrics: autoscaling/v2 metrics, given as is to the HPA.")
    public List<MetricSpec> metrics = new ArrayList<>();
}
