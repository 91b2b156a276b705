package io.slmfleet.agentroute;

import java.net.URI;
import java.util.List;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.slmfleet.api.v1alpha1.AgentRoute;
import io.slmfleet.common.Labels;
import io.slmfleet.common.PodDiagnosis;
import io.slmfleet.delegation.figures.RouterPodFigures;
import io.slmfleet.routing.RouterContract;

/** An AgentRoute's router pods whose metrics the operator reads (delegation figures, economics). */
final class RouterPods {

    private RouterPods() {
    }

    /** The router pods of an AgentRoute that pass their readiness probe, with the address of their metrics. */
    static List<RouterPodFigures.RouterPod> ready(KubernetesClient client, String namespace, String agentRoute) {
        return client.pods().inNamespace(namespace).withLabel(Labels.ownerLabel(AgentRoute.class), agentRoute)
                .list().getItems().stream()
                .filter(pod -> pod.getStatus() != null && pod.getStatus().getPodIP() != null && PodDiagnosis.isReady(pod))
                .map(pod -> new RouterPodFigures.RouterPod(pod.getMetadata().getName(), URI.create("http://"
                        + pod.getStatus().getPodIP() + ":" + RouterContract.PORT + RouterContract.METRICS_PATH)))
                .toList();
    }
}
