package io.slmfleet.testing;

import java.net.HttpURLConnection;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;
import java.util.function.UnaryOperator;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;

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

    /**
     * Creates a custom resource with the status its controller would report: the API server ignores status on create,
     * so the status is written after it, as the tests that play a controller need.
     */
    public static <S, R extends CustomResource<?, S>> R createWithStatus(KubernetesClient client, R resource) {
        S status = resource.getStatus();
        resource.setStatus(null);
        R created = client.resource(resource).create();
        created.setStatus(status);
        return client.resource(created).updateStatus();
    }

    /**
     * A user's edit as {@code kubectl edit} makes it: read, change, write with the resourceVersion read. The operator
     * may write the object's status in between (409 Conflict); like a user, the edit then starts again from the latest.
     */
    public static <T extends HasMetadata> T edit(Resource<T> resource, UnaryOperator<T> change) {
        for (int attempt = 1; ; attempt++) {
            try {
                return resource.edit(change);
            } catch (KubernetesClientException e) {
                if (e.getCode() != HttpURLConnection.HTTP_CONFLICT || attempt == 5) {
                    throw e;
                }
            }
        }
    }

    /** Plays the Job controller: the Job's pod runs and is ready. */
    public static void markJobRunning(KubernetesClient client, Job job) {
        job.setStatus(new JobStatusBuilder()
                .withActive(1)
                .withReady(1)
                .withStartTime(now())
                .build());
        client.resource(job).updateStatus();
    }

    /** Plays the Job controller: the Job ended with a condition of {@code type} (Complete or Failed). */
    public static void markJobFinished(KubernetesClient client, Job job, String type, String reason, String message) {
        JobStatusBuilder status = new JobStatusBuilder()
                .withActive(0)
                .withReady(0)
                .withStartTime(now())
                .addToConditions(new JobConditionBuilder()
                        .withType(type)
                        .withStatus("True")
                        .withReason(reason)
                        .withMessage(message)
                        .withLastTransitionTime(now())
                        .build());
        if ("Complete".equals(type)) {
            status.withSucceeded(1).withCompletionTime(now());
        } else {
            status.withFailed(1);
        }
        job.setStatus(status.build());
        client.resource(job).updateStatus();
    }

    /** A Job's pod as the Job controller and kubelet leave it: the template's labels, its container terminated. */
    public static void createTerminatedPod(KubernetesClient client, Job job, String podName, String container, int exitCode,
            String terminationMessage) {
        Pod pod = client.resource(new PodBuilder()
                .withNewMetadata()
                    .withName(podName)
                    .withNamespace(job.getMetadata().getNamespace())
                    .withLabels(job.getSpec().getTemplate().getMetadata().getLabels())
                .endMetadata()
                .withSpec(job.getSpec().getTemplate().getSpec())
                .build()).create();
        pod.setStatus(new PodStatusBuilder()
                .withPhase(exitCode == 0 ? "Succeeded" : "Failed")
                .addNewContainerStatus()
                    .withName(container)
                    .withImage(job.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
                    .withNewState()
                        .withNewTerminated()
                            .withExitCode(exitCode)
                            .withMessage(terminationMessage)
                            .withReason(exitCode == 0 ? "Completed" : "Error")
                            .withFinishedAt(now())
                        .endTerminated()
                    .endState()
                .endContainerStatus()
                .build());
        client.resource(pod).updateStatus();
    }

    /** A ReadWriteMany claim of 10Gi. */
    public static PersistentVolumeClaim claim(String namespace, String name) {
        return new PersistentVolumeClaimBuilder()
                .withNewMetadata().withName(name).withNamespace(namespace).endMetadata()
                .withNewSpec()
                    .withAccessModes("ReadWriteMany")
                    .withNewResources().addToRequests("storage", new Quantity("10Gi")).endResources()
                .endSpec()
                .build();
    }

    /** Time for a reconciler that would wrongly act to have acted (the recheck interval in tests is 2s). */
    public static void pause() {
        try {
            Thread.sleep(3000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Now, to the second, as the API server writes times. */
    public static String now() {
        return Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
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
