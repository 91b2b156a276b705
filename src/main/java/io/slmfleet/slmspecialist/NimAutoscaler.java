package io.slmfleet.slmspecialist;

import java.util.List;
import java.util.Optional;

import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricSpec;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricSpecBuilder;
import io.slmfleet.api.v1alpha1.AutoscalingSpec;
import io.slmfleet.api.v1alpha1.SLMSpecialist;
import io.slmfleet.common.DesiredState;
import io.slmfleet.common.Labels;
import io.slmfleet.common.OwnerReferences;

/** The autoscaling/v2 HorizontalPodAutoscaler of the NIM Deployment, when autoscaling is set. */
public final class NimAutoscaler {

    private static final int DEFAULT_CPU_UTILIZATION = 80;

    private NimAutoscaler() {
    }

    public static Optional<HorizontalPodAutoscaler> desired(SLMSpecialist specialist) {
        AutoscalingSpec autoscaling = specialist.getSpec().autoscaling;
        if (autoscaling == null) {
            return Optional.empty();
        }
        return Optional.of(DesiredState.stamped(new HorizontalPodAutoscalerBuilder()
                .withNewMetadata()
                    .withName(specialist.getMetadata().getName())
                    .withNamespace(specialist.getMetadata().getNamespace())
                    .withLabels(Labels.of(specialist, Nim.APP, "inference"))
                    .withOwnerReferences(OwnerReferences.controlledBy(specialist))
                .endMetadata()
                .withNewSpec()
                    .withNewScaleTargetRef()
                        .withApiVersion("apps/v1")
                        .withKind("Deployment")
                        .withName(specialist.getMetadata().getName())
                    .endScaleTargetRef()
                    .withMinReplicas(autoscaling.minReplicas)
                    .withMaxReplicas(autoscaling.maxReplicas)
                    .withMetrics(autoscaling.metrics.isEmpty() ? List.of(averageCpu()) : autoscaling.metrics)
                .endSpec()
                .build()));
    }

    private static MetricSpec averageCpu() {
        return new MetricSpecBuilder()
                .withType("Resource")
                .withNewResource()
                    .withName("cpu")
                    .withNewTarget()
                        .withType("Utilization")
                        .withAverageUtilization(DEFAULT_CPU_UTILIZATION)
                    .endTarget()
                .endResource()
                .build();
    }
}
