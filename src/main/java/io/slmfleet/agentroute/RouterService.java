package io.slmfleet.agentroute;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.slmfleet.api.v1alpha1.AgentRoute;
import io.slmfleet.common.DesiredState;
import io.slmfleet.common.Labels;
import io.slmfleet.common.OwnerReferences;

/** The ClusterIP Service in front of the router pods: the AgentRoute's OpenAI-compatible endpoint. */
public final class RouterService {

    private RouterService() {
    }

    public static Service desired(AgentRoute route) {
        return DesiredState.stamped(new ServiceBuilder()
                .withNewMetadata()
                    .withName(Router.name(route))
                    .withNamespace(route.getMetadata().getNamespace())
                    .withLabels(Labels.of(route, Router.APP, "router"))
                    .withOwnerReferences(OwnerReferences.controlledBy(route))
                .endMetadata()
                .withNewSpec()
                    .withType("ClusterIP")
                    .withSelector(Labels.selector(route, Router.APP))
                    .addNewPort()
                        .withName(Router.PORT_NAME)
                        .withPort(Router.SERVICE_PORT)
                        .withNewTargetPort(Router.PORT_NAME)
                        .withProtocol("TCP")
                        .withAppProtocol("http")
                    .endPort()
                .endSpec()
                .build());
    }
}
