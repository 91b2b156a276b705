package io.slmfleet.agentroute;

import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.slmfleet.api.v1alpha1.AgentRoute;
import io.slmfleet.common.Labels;
import io.slmfleet.common.PodDiagnosis;
import io.slmfleet.delegation.figures.RouterPodFigures;
import io.slmfleet.routing.RouterContract;

/**
 * An AgentRoute's router pods whose metrics the operator reads (delegation figures, economics). Their figures promote
 * candidates and make the bill, and anyone who may create pods in the namespace can put the route's label on one: so a
 * pod counts only when its controller chain is the route's own router — the pod controlled (by UID) by a ReplicaSet
 * controlled (by UID) by the route's router Deployment, which the AgentRoute controls.
 */
final class RouterPods {

    private RouterPods() {
    }

    /** The router pods of an AgentRoute that pass their readiness probe, with the address of their metrics. */
    static List<RouterPodFigures.RouterPod> ready(KubernetesClient client, String namespace, String agentRoute) {
        String label = Labels.ownerLabel(AgentRoute.class);
        Deployment router = client.apps().deployments().inNamespace(namespace).withName(Router.name(agentRoute)).get();
        if (router == null) {
            return List.of();
        }
        List<ReplicaSet> replicaSets = client.apps().replicaSets().inNamespace(namespace).withLabel(label, agentRoute)
                .list().getItems();
        List<Pod> pods = client.pods().inNamespace(namespace).withLabel(label, agentRoute).list().getItems();
        return serving(agentRoute, router, replicaSets, pods).stream()
                .map(pod -> new RouterPodFigures.RouterPod(pod.getMetadata().getName(), URI.create("http://"
                        + pod.getStatus().getPodIP() + ":" + RouterContract.PORT + RouterContract.METRICS_PATH)))
                .toList();
    }

    /** The ready pods of the route's own router: the controller chain AgentRoute → Deployment → ReplicaSet → pod. */
    static List<Pod> serving(String agentRoute, Deployment router, List<ReplicaSet> replicaSets, List<Pod> pods) {
        boolean routersOwn = controller(router)
                .filter(owner -> AgentRoute.class.getSimpleName().equals(owner.getKind()) && agentRoute.equals(owner.getName()))
                .isPresent();
        if (!routersOwn) {
            return List.of();
        }
        Set<String> replicaSetUids = replicaSets.stream()
                .filter(replicaSet -> controlledBy(replicaSet, router))
                .map(replicaSet -> replicaSet.getMetadata().getUid())
                .collect(Collectors.toSet());
        return pods.stream()
                .filter(pod -> controller(pod).map(owner -> "ReplicaSet".equals(owner.getKind())
                        && replicaSetUids.contains(owner.getUid())).orElse(false))
                .filter(pod -> pod.getStatus() != null && pod.getStatus().getPodIP() != null && PodDiagnosis.isReady(pod))
                .toList();
    }

    private static boolean controlledBy(HasMetadata object, HasMetadata owner) {
        return controller(object).map(reference -> owner.getKind().equals(reference.getKind())
                && owner.getMetadata().getUid() != null && owner.getMetadata().getUid().equals(reference.getUid()))
                .orElse(false);
    }

    private static Optional<OwnerReference> controller(HasMetadata object) {
        return object.getMetadata().getOwnerReferences() == null ? Optional.empty()
                : object.getMetadata().getOwnerReferences().stream()
                        .filter(reference -> Boolean.TRUE.equals(reference.getController())).findFirst();
    }
}
