package io.slmfleet.agentroute;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;

/** Only the route's own router pods report figures: a pod with the route's label but another controller does not. */
class RouterPodsTest {

    private static final String ROUTE = "support-agent";

    private final Deployment router = new DeploymentBuilder()
            .withNewMetadata()
                .withName("support-agent-router")
                .withUid("deployment-uid")
                .withOwnerReferences(controller("slmfleet.io/v1alpha1", "AgentRoute", ROUTE, "route-uid"))
            .endMetadata()
            .build();
    private final ReplicaSet routersReplicaSet = replicaSet("support-agent-router-5d9f", "rs-uid", router);

    @Test
    void theRoutersOwnReadyPodsCount() {
        Pod pod = pod("support-agent-router-5d9f-abcde", routersReplicaSet, true);

        assertThat(RouterPods.serving(ROUTE, router, List.of(routersReplicaSet), List.of(pod))).containsExactly(pod);
    }

    @Test
    void aPodWithTheRoutesLabelButAnotherControllerIsNotCounted() {
        Pod real = pod("support-agent-router-5d9f-abcde", routersReplicaSet, true);
        Pod bare = pod("forged-bare", null, true);
        Deployment someoneElses = new DeploymentBuilder().withNewMetadata().withName("forger").withUid("forger-uid")
                .endMetadata().build();
        ReplicaSet forgedReplicaSet = replicaSet("forger-77c8", "forged-rs-uid", someoneElses);
        Pod underForgedReplicaSet = pod("forger-77c8-xyz", forgedReplicaSet, true);
        // names are not identities, UIDs are: a ReplicaSet of another Deployment named like the router
        Deployment namesake = new DeploymentBuilder().withNewMetadata().withName("support-agent-router")
                .withUid("namesake-uid").endMetadata().build();
        ReplicaSet namedLikeTheRouters = replicaSet("support-agent-router-6b1a", "lookalike-rs-uid", namesake);
        Pod underLookalike = pod("support-agent-router-6b1a-fghij", namedLikeTheRouters, true);

        assertThat(RouterPods.serving(ROUTE, router, List.of(routersReplicaSet, forgedReplicaSet, namedLikeTheRouters),
                List.of(real, bare, underForgedReplicaSet, underLookalike))).containsExactly(real);
    }

    @Test
    void aRouterDeploymentTheRouteDoesNotControlCountsNoPod() {
        Deployment notTheRoutes = new DeploymentBuilder(router).editMetadata().withOwnerReferences().endMetadata().build();
        ReplicaSet replicaSet = replicaSet("support-agent-router-5d9f", "rs-uid", notTheRoutes);

        assertThat(RouterPods.serving(ROUTE, notTheRoutes, List.of(replicaSet), List.of(pod("p", replicaSet, true))))
                .isEmpty();
    }

    @Test
    void anUnreadyPodIsNotRead() {
        assertThat(RouterPods.serving(ROUTE, router, List.of(routersReplicaSet),
                List.of(pod("support-agent-router-5d9f-abcde", routersReplicaSet, false)))).isEmpty();
    }

    private static ReplicaSet replicaSet(String name, String uid, Deployment owner) {
        return new ReplicaSetBuilder()
                .withNewMetadata()
                    .withName(name)
                    .withUid(uid)
                    .withOwnerReferences(controller("apps/v1", "Deployment", owner.getMetadata().getName(),
                            owner.getMetadata().getUid()))
                .endMetadata()
                .build();
    }

    private static Pod pod(String name, ReplicaSet owner, boolean ready) {
        PodBuilder pod = new PodBuilder()
                .withNewMetadata()
                    .withName(name)
                    .addToLabels("slmfleet.io/agentroute", ROUTE)
                .endMetadata()
                .withNewStatus()
                    .withPodIP("10.0.0.7")
                    .addNewCondition().withType("Ready").withStatus(ready ? "True" : "False").endCondition()
                .endStatus();
        if (owner != null) {
            pod.editMetadata().withOwnerReferences(controller("apps/v1", "ReplicaSet", owner.getMetadata().getName(),
                    owner.getMetadata().getUid())).endMetadata();
        }
        return pod.build();
    }

    private static OwnerReference controller(String apiVersion, String kind, String name, String uid) {
        return new OwnerReferenceBuilder().withApiVersion(apiVersion).withKind(kind).withName(name).withUid(uid)
                .withController(true).build();
    }
}
