package io.slmfleet.agentroute;

import java.util.Optional;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import io.slmfleet.api.v1alpha1.AgentRoute;
import io.slmfleet.common.DesiredState;
import io.slmfleet.common.Labels;
import io.slmfleet.common.OwnerReferences;

/**
 * Lets node drains take one router pod at a time, only when more than one runs: with a single replica any budget
 * either blocks every drain or protects nothing.
 */
public final class RouterDisruptionBudget {

    private RouterDisruptionBudget() {
    }

    public static Optional<PodDisruptionBudget> desired(AgentRoute route) {
        Integer replicas = route.getSpec().router.replicas;
        if (replicas == null || replicas <= 1) {
            return Optional.empty();
        }
        return Optional.of(DesiredState.stamped(new PodDisruptionBudgetBuilder()
                .withNewMetadata()
                    .withName(Router.name(route))
                    .withNamespace(route.getMetadata().getNamespace())
                    .withLabels(Labels.of(route, Router.APP, "router"))
                    .withOwnerReferences(OwnerReferences.controlledBy(route))
                .endMetadata()
                .withNewSpec()
                    .withMaxUnavailable(new IntOrString(1))
                    .withNewSelector()
                        .withMatchLabels(Labels.selector(route, Router.APP))
                    .endSelector()
                .endSpec()
                .build()));
    }
}
