package io.slmfleet.slmspecialist;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.slmfleet.api.v1alpha1.SLMSpecialist;
import io.slmfleet.common.DesiredState;
import io.slmfleet.common.Labels;
import io.slmfleet.common.OwnerReferences;

/** The ClusterIP Service in front of the NIM pods: the specialist's OpenAI-compatible endpoint. */
public final class NimService {

    private NimService() {
    }

    public static Service desired(SLMSpecialist specialist) {
        return DesiredState.stamped(new ServiceBuilder()
                .withNewMetadata()
                    .withName(specialist.getMetadata().getName())
                    .withNamespace(specialist.getMetadata().getNamespace())
                    .withLabels(Labels.of(specialist, Nim.APP, "inference"))
                    .withOwnerReferences(OwnerReferences.controlledBy(specialist))
                .endMetadata()
                .withNewSpec()
                    .withType("ClusterIP")
                    .withSelector(Labels.selector(specialist, Nim.APP))
                    .addNewPort()
                        .withName(Nim.PORT_NAME)
                        .withPort(Nim.PORT)
                        .withNewTargetPort(Nim.PORT_NAME)
                        .withProtocol("TCP")
                        .withAppProtocol("http")
                    .endPort()
                .endSpec()
                .build());
    }
}
