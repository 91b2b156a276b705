package io.slmfleet.slmspecialist;

import java.util.Optional;

import io.slmfleet.api.v1alpha1.AutoscalingSpec;
import io.slmfleet.api.v1alpha1.AutoscalingSpec.Signal;
import io.slmfleet.api.v1alpha1.AutoscalingStatus.Engine;

/**
 * Which engine scales a specialist, decided from its autoscaling spec and what the cluster offers, never assumed: KEDA
 * only where the API server serves its ScaledObject and the operator knows the Prometheus that scrapes NIM.
 *
 * @param engine Keda, Hpa, or None when the configuration is refused
 * @param signal the signal the replica count follows
 * @param target the signal's target per pod in effect; null for signal metrics
 * @param prometheusAddress the Prometheus KEDA's triggers query (with engine Keda)
 * @param refusal why nothing scales the specialist (with engine None)
 */
public record AutoscalingPlan(Engine engine, Signal signal, Integer target, Optional<String> prometheusAddress,
        Optional<Refusal> refusal) {

    /** A configuration the cluster cannot run: the AutoscalerReady condition's reason and what to do about it. */
    public record Refusal(String reason, String message) {
    }

    /** What the cluster offers to autoscale with. */
    public record Cluster(boolean kedaServed, Optional<String> prometheusAddress) {

        /** The offline render's view: it has no cluster to ask, so it renders as for one without KEDA. */
        public static final Cluster WITHOUT_KEDA = new Cluster(false, Optional.empty());
    }

    /** The CPU utilisation HPAs have targeted by default since before signals existed. */
    static final int DEFAULT_CPU_PERCENT = 80;

    /**
     * A few waiting requests per pod mean its running batch is full (NIM takes a waiting request as soon as a batch
     * slot and KV-cache blocks free up), so another replica would serve them; below that, a replica that takes minutes
     * to start and holds a whole GPU costs more than the short wait.
     */
    static final int DEFAULT_REQUESTS_WAITING = 4;

    /**
     * The engine preempts (and recomputes) running requests once the KV cache is full; 75 % leaves room for the
     * sequences already admitted to grow while a new replica starts.
     */
    static final int DEFAULT_KV_CACHE_PERCENT = 75;

    /** No plan without autoscaling: the Deployment keeps spec.replicas. */
    public static Optional<AutoscalingPlan> of(AutoscalingSpec autoscaling, Cluster cluster) {
        if (autoscaling == null) {
            return Optional.empty();
        }
        Signal signal = autoscaling.effectiveSignal();
        Integer target = signal == Signal.metrics ? null
                : autoscaling.target != null ? autoscaling.target : defaultTarget(signal);
        boolean onNimMetrics = signal == Signal.requestsWaiting || signal == Signal.kvCacheUsage;
        if (onNimMetrics && cluster.kedaServed() && cluster.prometheusAddress().isPresent()) {
            return Optional.of(new AutoscalingPlan(Engine.Keda, signal, target, cluster.prometheusAddress(), Optional.empty()));
        }
        return Optional.of(new AutoscalingPlan(Engine.Hpa, signal, target, Optional.empty(), Optional.empty()));
    }

    /**
     * Refused because an autoscaler the operator did not create is in the way (named by kind and namespace/name): two
     * autoscalers would fight over the replica count, and the operator never takes over or deletes what is not its own.
     */
    public AutoscalingPlan conflictingWith(String foreignAutoscaler) {
        return new AutoscalingPlan(Engine.None, signal, target, Optional.empty(), Optional.of(new Refusal("AutoscalerConflict",
                foreignAutoscaler + " (not created by the operator) already scales this specialist's Deployment or "
                        + "holds its name: delete it to let spec.autoscaling apply, or remove spec.autoscaling")));
    }

    static int defaultTarget(Signal signal) {
        return switch (signal) {
            case cpu -> DEFAULT_CPU_PERCENT;
            case requestsWaiting -> DEFAULT_REQUESTS_WAITING;
            case kvCacheUsage -> DEFAULT_KV_CACHE_PERCENT;
            case metrics -> throw new IllegalArgumentException("signal metrics has no target of its own");
        };
    }

    /** True while a change in the cluster (KEDA installed, or removed) could change the engine. */
    public boolean dependsOnKedaDiscovery() {
        return signal == Signal.requestsWaiting || signal == Signal.kvCacheUsage;
    }
}
