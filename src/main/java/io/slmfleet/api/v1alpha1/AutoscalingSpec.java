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
@ValidationRule(value = "self.signal == 'metrics' || !has(self.metrics) || size(self.metrics) == 0",
        message = "autoscaling.metrics is read only with autoscaling.signal metrics: set signal: metrics, or remove metrics")
@ValidationRule(value = "self.signal != 'metrics' || (has(self.metrics) && size(self.metrics) > 0)",
        message = "autoscaling.signal metrics needs at least one entry in autoscaling.metrics")
@ValidationRule(value = "self.signal != 'metrics' || !has(self.target)",
        message = "autoscaling.target does not apply to signal metrics: each entry of autoscaling.metrics carries its own target")
@ValidationRule(value = "!has(self.target) || self.signal == 'requestsWaiting' || self.target <= 100",
        message = "autoscaling.target is a percentage for signal cpu and kvCacheUsage: at most 100")
@ValidationRule(value = "self.minReplicas > 0 || self.signal == 'requestsWaiting' || self.signal == 'kvCacheUsage'",
        message = "autoscaling.minReplicas 0 needs signal requestsWaiting or kvCacheUsage: only KEDA scales to zero, on NIM's "
                + "metrics; the CPU and free-form metrics signals run on an HPA, which keeps at least one replica")
@ValidationRule(value = "!has(self.idleAfter) || self.minReplicas == 0",
        message = "autoscaling.idleAfter applies only with autoscaling.minReplicas 0: set minReplicas: 0 to scale to zero when "
                + "idle, or remove idleAfter")
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

    @Default("cpu")
    @JsonPropertyDescription("What the replica count follows: cpu (average CPU utilisation), requestsWaiting (NIM's "
            + "num_requests_waiting per pod), kvCacheUsage (NIM's gpu_cache_usage_perc per pod) or metrics (the list in "
            + "metrics). requestsWaiting and kvCacheUsage run on KEDA when its ScaledObject API is served, else on an HPA "
            + "through a metrics adapter.")
    public Signal signal = Signal.cpu;

    @Min(1)
    @Max(1000)
    @JsonPropertyDescription("The signal's target per pod. Empty: cpu 80 (percent), requestsWaiting 4 (requests), "
            + "kvCacheUsage 75 (percent). Not for signal metrics.")
    public Integer target;

    @Min(0)
    @Default("1")
    @JsonPropertyDescription("Lower bound of the replica count. 0 (scale to zero) needs KEDA and signal requestsWaiting or "
            + "kvCacheUsage.")
    public Integer minReplicas = 1;

    @Required
    @Min(1)
    @Max(1000)
    @JsonPropertyDescription("Upper bound of the replica count. Each replica needs its own GPUs.")
    public Integer maxReplicas;

    @Pattern(DelegationSpec.INTERVAL)
    @JsonPropertyDescription("With minReplicas 0: scale to zero once no request has been served for this long, e.g. 15m. "
            + "Empty: 5m (KEDA's cooldownPeriod default).")
    public String idleAfter;

    @Pattern(DelegationSpec.INTERVAL)
    @JsonPropertyDescription("Least time the signal must stay low before replicas are removed (the scale-down "
            + "stabilization window), e.g. 10m. Empty: the autoscaler's default (5m).")
    public String cooldown;

    @Size(max = 8)
    @JsonPropertyDescription("With signal metrics: autoscaling/v2 metrics, given as is to the HPA.")
    public List<MetricSpec> metrics = new ArrayList<>();
}
