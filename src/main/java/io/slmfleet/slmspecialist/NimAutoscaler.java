package io.slmfleet.slmspecialist;

import java.util.List;
import java.util.Optional;

import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerSpecBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricSpec;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricSpecBuilder;
import io.slmfleet.api.v1alpha1.AutoscalingSpec;
import io.slmfleet.api.v1alpha1.AutoscalingStatus.Engine;
import io.slmfleet.api.v1alpha1.SLMSpecialist;
import io.slmfleet.common.DesiredState;
import io.slmfleet.common.Labels;
import io.slmfleet.common.OwnerReferences;
import io.slmfleet.delegation.DelegationPolicy;

/**
 * The autoscaling/v2 HorizontalPodAutoscaler of the NIM Deployment, when the plan's engine is the HPA. NIM's metrics
 * reach it as Pods metrics through a metrics adapter (docs/autoscaling.md gives the prometheus-adapter rule).
 */
public final class NimAutoscaler {

    private NimAutoscaler() {
    }

    public static Optional<HorizontalPodAutoscaler> desired(SLMSpecialist specialist, Optional<AutoscalingPlan> plan) {
        if (plan.isEmpty() || plan.get().engine() != Engine.Hpa) {
            return Optional.empty();
        }
        AutoscalingSpec autoscaling = specialist.getSpec().autoscaling;
        HorizontalPodAutoscalerSpecBuilder spec = new HorizontalPodAutoscalerSpecBuilder()
                .withNewScaleTargetRef()
                    .withApiVersion("apps/v1")
                    .withKind("Deployment")
                    .withName(specialist.getMetadata().getName())
                .endScaleTargetRef()
                .withMinReplicas(autoscaling.minReplicas)
                .withMaxReplicas(autoscaling.maxReplicas)
                .withMetrics(metrics(autoscaling, plan.get()));
        if (autoscaling.cooldown != null) {
            spec.withNewBehavior()
                    .withNewScaleDown()
                        .withStabilizationWindowSeconds((int) DelegationPolicy.interval(autoscaling.cooldown).toSeconds())
                    .endScaleDown()
                .endBehavior();
        }
        return Optional.of(DesiredState.stamped(new HorizontalPodAutoscalerBuilder()
                .withNewMetadata()
                    .withName(specialist.getMetadata().getName())
                    .withNamespace(specialist.getMetadata().getNamespace())
                    .withLabels(Labels.of(specialist, Nim.APP, "inference"))
                    .withOwnerReferences(OwnerReferences.controlledBy(specialist))
                .endMetadata()
                .withSpec(spec.build())
                .build()));
    }

    private static List<MetricSpec> metrics(AutoscalingSpec autoscaling, AutoscalingPlan plan) {
        return switch (plan.signal()) {
            case cpu -> List.of(averageCpu(plan.target()));
            case metrics -> autoscaling.metrics;
            case requestsWaiting -> List.of(podsAverage(NimMetrics.REQUESTS_WAITING, new Quantity(String.valueOf(plan.target()))));
            // gpu_cache_usage_perc is a fraction (1 is 100 %): a target of 75 (percent) is 750m
            case kvCacheUsage -> List.of(podsAverage(NimMetrics.GPU_CACHE_USAGE, new Quantity(plan.target() * 10 + "m")));
        };
    }

    private static MetricSpec averageCpu(int percent) {
        return new MetricSpecBuilder()
                .withType("Resource")
                .withNewResource()
                    .withName("cpu")
                    .withNewTarget()
                        .withType("Utilization")
                        .withAverageUtilization(percent)
                    .endTarget()
                .endResource()
                .build();
    }

    private static MetricSpec podsAverage(String metric, Quantity perPod) {
        return new MetricSpecBuilder()
                .withType("Pods")
                .withNewPods()
                    .withNewMetric()
                        .withName(metric)
                    .endMetric()
                    .withNewTarget()
                        .withType("AverageValue")
                        .withAverageValue(perPod)
                    .endTarget()
                .endPods()
                .build();
    }
}
