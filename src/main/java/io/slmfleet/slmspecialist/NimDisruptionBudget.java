package io.slmfleet.slmspecialist;

import java.util.Optional;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import io.slmfleet.api.v1alpha1.SLMSpecialist;
import io.slmfleet.api.v1alpha1.SLMSpecialistSpec;
import io.slmfleet.common.DesiredState;
import io.slmfleet.common.Labels;
import io.slmfleet.common.OwnerReferences;

/**
 * The PodDisruptionBudget of the NIM pods, only when more than one replica may run: with a single replica a budget
 * of one available pod would block every node drain.
 */
public final class NimDisruptionBudget {

    private NimDisruptionBudget() {
    }

    public static Optional<PodDisruptionBudget> desired(SLMSpecialist specialist) {
        if (maxReplicas(specialist.getSpec()) <= 1) {
            return Optional.empty();
        }
        return Optional.of(DesiredState.stamped(new PodDisruptionBudgetBuilder()
                .withNewMetadata()
                    .withName(specialist.getMetadata().getName())
                    .withNamespace(specialist.getMetadata().getNamespace())
                    .withLabels(Labels.of(specialist, Nim.APP, "inference"))
                    .withOwnerReferences(OwnerReferences.controlledBy(specialist))
                .endMetadata()
                .withNewSpec()
                    .withMinAvailable(new IntOrString(specialist.getSpec().disruption.minAvailable))
                    .withNewSelector()
                        .withMatchLabels(Labels.selector(specialist, Nim.APP))
                    .endSelector()
                .endSpec()
                .build()));
    }

    static int maxReplicas(SLMSpecialistSpec spec) {
        return spec.autoscaling != null ? spec.autoscaling.maxReplicas : spec.replicas;
    }
}
