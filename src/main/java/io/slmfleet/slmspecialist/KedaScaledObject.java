package io.slmfleet.slmspecialist;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.slmfleet.api.v1alpha1.AutoscalingSpec;
import io.slmfleet.api.v1alpha1.AutoscalingSpec.Signal;
import io.slmfleet.api.v1alpha1.AutoscalingStatus.Engine;
import io.slmfleet.api.v1alpha1.SLMSpecialist;
import io.slmfleet.common.DesiredState;
import io.slmfleet.common.Labels;
import io.slmfleet.common.OwnerReferences;
import io.slmfleet.delegation.DelegationPolicy;

/**
 * The KEDA ScaledObject of the NIM Deployment, when the plan's engine is KEDA: one Prometheus trigger on the signal.
 * Field names as KEDA 2.15
 * documents them: "ScaledObject specification" (https://keda.sh/docs/2.15/reference/scaledobject-spec/) and the
 * Prometheus scaler (https://keda.sh/docs/2.15/scalers/prometheus/); pinned by AutoscalingContractTest.
 */
public final class KedaScaledObject {

    static final String PROMETHEUS_TRIGGER = "prometheus";

    private KedaScaledObject() {
    }

    public static Optional<ScaledObject> desired(SLMSpecialist specialist, Optional<AutoscalingPlan> plan) {
        if (plan.isEmpty() || plan.get().engine() != Engine.Keda) {
            return Optional.empty();
        }
        AutoscalingSpec autoscaling = specialist.getSpec().autoscaling;
        String name = specialist.getMetadata().getName();
        String serverAddress = plan.get().prometheusAddress().orElseThrow();
        String pods = podSelector(specialist);


        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("scaleTargetRef", ordered("apiVersion", "apps/v1", "kind", "Deployment", "name", name));
        spec.put("minReplicaCount", autoscaling.minReplicas);
        spec.put("maxReplicaCount", autoscaling.maxReplicas);
        if (autoscaling.cooldown != null) {
            spec.put("advanced", ordered("horizontalPodAutoscalerConfig", ordered("behavior", ordered("scaleDown",
                    ordered("stabilizationWindowSeconds", DelegationPolicy.interval(autoscaling.cooldown).toSeconds())))));
        }
        spec.put("triggers", List.of(prometheusTrigger(serverAddress,
                "sum(" + metric(plan.get().signal()) + "{" + pods + "})", threshold(plan.get()))));

        ScaledObject scaledObject = new ScaledObject();
        scaledObject.setMetadata(new ObjectMetaBuilder()
                .withName(name)
                .withNamespace(specialist.getMetadata().getNamespace())
                .withLabels(Labels.of(specialist, Nim.APP, "inference"))
                .withOwnerReferences(OwnerReferences.controlledBy(specialist))
                .build());
        scaledObject.setAdditionalProperty("spec", spec);
        return Optional.of(DesiredState.stamped(scaledObject));
    }

    /**
     * A specialist's NIM pods, by the namespace and pod labels Prometheus' Kubernetes discovery puts on every series
     * (a Deployment's pods are named {@code <deployment>-<template hash>-<suffix>}).
     */
    static String podSelector(SLMSpecialist specialist) {
        return "namespace=\"" + specialist.getMetadata().getNamespace() + "\",pod=~\"" + specialist.getMetadata().getName()
                + "-[a-z0-9]+-[a-z0-9]+\"";
    }

    static String metric(Signal signal) {
        return switch (signal) {
            case requestsWaiting -> NimMetrics.REQUESTS_WAITING;
            case kvCacheUsage -> NimMetrics.GPU_CACHE_USAGE;
            case cpu, metrics -> throw new IllegalArgumentException("signal " + signal + " is not one of NIM's metrics");
        };
    }

    /** Per pod: KEDA's default metricType AverageValue divides the query's sum by the replica count. */
    static String threshold(AutoscalingPlan plan) {
        // gpu_cache_usage_perc is a fraction (1 is 100 %), the target a percentage
        return plan.signal() == Signal.kvCacheUsage ? String.valueOf(plan.target() / 100.0) : String.valueOf(plan.target());
    }

    private static Map<String, Object> prometheusTrigger(String serverAddress, String query, String threshold) {
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("serverAddress", serverAddress);
        metadata.put("query", query);
        metadata.put("threshold", threshold);
        metadata.put("activationThreshold", "0");
        // Missing series are an error, not 0: KEDA then holds the current size instead of acting on no data.
        metadata.put("ignoreNullValues", "false");
        Map<String, Object> trigger = new LinkedHashMap<>();
        trigger.put("type", PROMETHEUS_TRIGGER);
        trigger.put("metadata", metadata);
        return trigger;
    }

    /** A map that keeps the order its keys are given in, as a person would read the object. */
    private static Map<String, Object> ordered(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }
}
