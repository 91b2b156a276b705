package io.slmfleet.testing;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

/** Small helpers shared by the operator tests against the mock API server. */
public final class OperatorTestSupport {

    private OperatorTestSupport() {
    }

    /** A fresh namespace per test: the mock API server lives as long as the Quarkus application, across tests. */
    public static String newNamespace(KubernetesClient client, String prefix) {
        String name = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build()).create();
        return name;
    }

    public static Secret secret(String namespace, String name, String key) {
        return new SecretBuilder()
                .withNewMetadata().withName(name).withNamespace(namespace).endMetadata()
                .withData(Map.of(key, "dGVzdC1vbmx5"))
                .build();
    }

    /** Plays the Deployment controller, which the mock API server lacks: {@code replicas} pods rolled out and ready. */
    public static void markRolledOut(KubernetesClient client, Deployment deployment, int replicas) {
        deployment.setStatus(new DeploymentStatusBuilder()
                .withObservedGeneration(deployment.getMetadata().getGeneration())
                .withReplicas(replicas)
                .withReadyReplicas(replicas)
                .withUpdatedReplicas(replicas)
                .withAvailableReplicas(replicas)
                .build());
        client.resource(deployment).updateStatus();
    }

    public static ConditionFactory eventually() {
        return Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100));
    }
}
