package io.slmfleet.slmspecialist;

import static io.slmfleet.testing.OperatorTestSupport.edit;
import static io.slmfleet.testing.OperatorTestSupport.eventually;
import static io.slmfleet.testing.OperatorTestSupport.markRolledOut;
import static io.slmfleet.testing.OperatorTestSupport.newNamespace;
import static io.slmfleet.testing.OperatorTestSupport.secret;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.slmfleet.api.v1alpha1.AdapterStatus;
import io.slmfleet.api.v1alpha1.FineTuneJob;
import io.slmfleet.api.v1alpha1.FineTuneJobStatus;
import io.slmfleet.api.v1alpha1.SLMSpecialist;
import io.slmfleet.api.v1alpha1.SLMSpecialistStatus.Phase;
import io.slmfleet.common.Conditions;
import io.slmfleet.render.Manifests;
import io.slmfleet.testing.ApiRequestLog;
import io.slmfleet.testing.ServerSideApplyKubernetesServerTestResource;

/**
 * Tier 3: the reconciler against fabric8's mock API server. The mock has no controllers (nothing turns a Deployment
 * into pods) and no garbage collector, so tests play the Deployment controller by writing its status, and check owner
 * references rather than deletion cascades (the e2e tier proves those on a real API server).
 */
@QuarkusTest
@WithTestResource(ServerSideApplyKubernetesServerTestResource.class)
class SLMSpecialistReconcilerTest {

    @Inject
    KubernetesClient client;

    @Test
    void createsTheNimWorkloadAndBecomesReadyWhenTheDeploymentIs() throws IOException {
        String namespace = newNamespace(client, "create");
        client.resource(secret(namespace, "ngc-api", "NGC_API_KEY")).create();
        client.resource(secret(namespace, "ngc-registry", ".dockerconfigjson")).create();
        SLMSpecialist specialist = client.resource(specialist("full", namespace)).create();

        Deployment deployment = eventually().until(() -> deployment(namespace, "invoice-parser"), d -> d != null);
        assertThat(deployment.getMetadata().getOwnerReferences()).singleElement()
                .satisfies(owner -> assertThat(owner.getUid()).isEqualTo(specialist.getMetadata().getUid()));
        assertThat(deployment.getSpec().getReplicas()).as("replicas are the HPA's").isNull();
        eventually().until(() -> client.services().inNamespace(namespace).withName("invoice-parser").get() != null);
        eventually().until(() -> client.resources(HorizontalPodAutoscaler.class).inNamespace(namespace)
                .withName("invoice-parser").get() != null);
        eventually().until(() -> client.resources(PodDisruptionBudget.class).inNamespace(namespace)
                .withName("invoice-parser").get() != null);
        PersistentVolumeClaim cache = eventually().until(
                () -> client.persistentVolumeClaims().inNamespace(namespace).withName("invoice-parser-cache").get(),
                claim -> claim != null);
        assertThat(cache.getMetadata().getOwnerReferences()).as("a retained cache outlives its specialist").isEmpty();

        SLMSpecialist starting = eventually().until(() -> get(namespace, "invoice-parser"),
                s -> s.getStatus() != null && s.getStatus().phase == Phase.Progressing);
        assertThat(starting.getStatus().observedGeneration).isEqualTo(1L);
        assertThat(starting.getStatus().endpoint).isEqualTo("http://invoice-parser." + namespace + ".svc:8000/v1");
        assertThat(condition(starting, SpecialistStatusLogic.READY).getReason()).isEqualTo("Starting");
        assertThat(condition(starting, SpecialistStatusLogic.ADAPTERS_READY).getReason()).isEqualTo("FineTuneJobNotFound");

        markDeploymentReady(namespace, "invoice-parser", 1);

        SLMSpecialist ready = eventually().until(() -> get(namespace, "invoice-parser"),
                s -> s.getStatus().phase == Phase.Ready);
        Condition readyCondition = condition(ready, SpecialistStatusLogic.READY);
        assertThat(readyCondition.getStatus()).isEqualTo(Conditions.TRUE);
        assertThat(readyCondition.getObservedGeneration()).isEqualTo(1L);
        assertThat(readyCondition.getLastTransitionTime()).isNotBlank();
        assertThat(ready.getStatus().readyReplicas).isEqualTo(1);
        eventually().until(() -> events(namespace).stream().anyMatch(e -> "AllReplicasReady".equals(e.getReason())));
    }

    @Test
    void aMissingSecretIsReportedAndRecoversWhenItAppears() {
        String namespace = newNamespace(client, "secret");
        client.resource(specialist("no-cache", namespace)).create();

        SLMSpecialist waiting = eventually().until(() -> get(namespace, "tool-caller"),
                s -> s.getStatus() != null && s.getStatus().phase == Phase.Pending);
        Condition ready = condition(waiting, SpecialistStatusLogic.READY);
        assertThat(ready.getReason()).isEqualTo("SecretNotFound");
        assertThat(ready.getMessage()).isEqualTo("Secret ngc-api (NGC API key) not found");
        eventually().until(() -> events(namespace).stream()
                .anyMatch(e -> "SecretNotFound".equals(e.getReason()) && "Warning".equals(e.getType())));

        client.resource(secret(namespace, "ngc-api", "NGC_API_KEY")).create();

        eventually().until(() -> condition(get(namespace, "tool-caller"), SpecialistStatusLogic.READY).getReason(),
                        reason -> !"SecretNotFound".equals(reason));
    }

    @Test
    void aChildEditedOrDeletedByHandIsRestored() {
        String namespace = newNamespace(client, "drift");
        client.resource(secret(namespace, "ngc-api", "NGC_API_KEY")).create();
        client.resource(specialist("no-cache", namespace)).create();
        Deployment original = eventually().until(() -> deployment(namespace, "tool-caller"), d -> d != null);
        String image = original.getSpec().getTemplate().getSpec().getContainers().get(0).getImage();

        edit(client.apps().deployments().inNamespace(namespace).withName("tool-caller"), d -> {
            d.getSpec().getTemplate().getSpec().getContainers().get(0).setImage("example.com/not-nim:latest");
            return d;
        });
        eventually().until(() -> deployment(namespace, "tool-caller").getSpec().getTemplate().getSpec().getContainers()
                .get(0).getImage(), image::equals);

        client.services().inNamespace(namespace).withName("tool-caller").delete();
        eventually().until(() -> client.services().inNamespace(namespace).withName("tool-caller").get() != null);
    }

    @Test
    void aConvergedSpecialistMakesNoWrites() throws InterruptedException {
        String namespace = newNamespace(client, "quiet");
        client.resource(secret(namespace, "ngc-api", "NGC_API_KEY")).create();
        client.resource(specialist("no-cache", namespace)).create();
        eventually().until(() -> deployment(namespace, "tool-caller"), d -> d != null);
        markDeploymentReady(namespace, "tool-caller", 2);
        eventually().until(() -> get(namespace, "tool-caller").getStatus().phase == Phase.Ready);
        Thread.sleep(1000); // let the last status patch and events settle

        ApiRequestLog requests = ServerSideApplyKubernetesServerTestResource.requests();
        int mark = requests.mark();
        // An unrelated change to a watched child wakes the reconciler: it must find nothing to do.
        edit(client.apps().deployments().inNamespace(namespace).withName("tool-caller"), d -> {
            d.getMetadata().getAnnotations().put("example.com/touched", "yes");
            return d;
        });
        Thread.sleep(3000);

        assertThat(requests.writesSince(mark, "/namespaces/" + namespace + "/"))
                .as("writes after convergence, besides the test's own edit")
                .hasSize(1);
    }

    @Test
    void anAdapterIsMountedWhenItsFineTuneJobSucceedsWithoutTouchingThePodTemplate() {
        String namespace = newNamespace(client, "adapter");
        client.resource(secret(namespace, "ngc-api", "NGC_API_KEY")).create();
        client.resource(secret(namespace, "ngc-registry", ".dockerconfigjson")).create();
        client.resource(specialist("full", namespace)).create();
        FineTuneJob job = Manifests.ofKind(input("full"), FineTuneJob.class).get(0);
        job.getMetadata().setNamespace(namespace);
        job.setStatus(null);
        client.resource(job).create();

        eventually().until(() -> adapter(namespace, "invoice-v3"), a -> a != null && a.state == AdapterStatus.State.Pending
                && a.message.contains("is Pending"));
        String template = deployment(namespace, "invoice-parser").getSpec().getTemplate().toString();

        FineTuneJob running = client.resources(FineTuneJob.class).inNamespace(namespace).withName("ft-invoice-v3").get();
        running.setStatus(new FineTuneJobStatus());
        running.getStatus().phase = FineTuneJobStatus.Phase.Succeeded;
        client.resource(running).updateStatus();

        eventually().until(() -> adapter(namespace, "invoice-v3").state == AdapterStatus.State.Mounted);
        assertThat(condition(get(namespace, "invoice-parser"), SpecialistStatusLogic.ADAPTERS_READY).getStatus())
                .isEqualTo(Conditions.TRUE);
        assertThat(deployment(namespace, "invoice-parser").getSpec().getTemplate().toString())
                .as("no restart: NIM finds the new adapter directory in the claim it already mounts")
                .isEqualTo(template);
    }

    @Test
    void removingAutoscalingDeletesTheAutoscalerAndGivesReplicasBack() {
        String namespace = newNamespace(client, "scale");
        client.resource(secret(namespace, "ngc-api", "NGC_API_KEY")).create();
        client.resource(secret(namespace, "ngc-registry", ".dockerconfigjson")).create();
        client.resource(specialist("full", namespace)).create();
        eventually().until(() -> client.resources(HorizontalPodAutoscaler.class).inNamespace(namespace)
                .withName("invoice-parser").get() != null);

        edit(client.resources(SLMSpecialist.class).inNamespace(namespace).withName("invoice-parser"), s -> {
            s.getSpec().autoscaling = null;
            s.getSpec().replicas = 1;
            return s;
        });

        eventually().until(() -> client.resources(HorizontalPodAutoscaler.class).inNamespace(namespace)
                .withName("invoice-parser").get() == null);
        eventually().until(() -> client.resources(PodDisruptionBudget.class).inNamespace(namespace)
                .withName("invoice-parser").get() == null);
        eventually().until(() -> Integer.valueOf(1).equals(deployment(namespace, "invoice-parser").getSpec().getReplicas()));
        eventually().until(() -> get(namespace, "invoice-parser").getStatus().observedGeneration == 2L);
    }

    @Test
    void theUsersSpecIsNeverWritten() {
        String namespace = newNamespace(client, "spec");
        client.resource(secret(namespace, "ngc-api", "NGC_API_KEY")).create();
        ApiRequestLog requests = ServerSideApplyKubernetesServerTestResource.requests();
        int mark = requests.mark();
        client.resource(specialist("no-cache", namespace)).create();
        eventually().until(() -> get(namespace, "tool-caller").getStatus() != null);

        String own = "/namespaces/" + namespace + "/slmspecialists/tool-caller";
        assertThat(requests.writesSince(mark, own))
                .as("after the test's own create, only the status subresource is written")
                .allSatisfy(call -> assertThat(call.path()).satisfiesAnyOf(
                        path -> assertThat(path).endsWith("/status"),
                        path -> assertThat(call.method().name()).isEqualTo("POST")));
    }

    private void markDeploymentReady(String namespace, String name, int replicas) {
        markRolledOut(client, deployment(namespace, name), replicas);
    }

    private AdapterStatus adapter(String namespace, String name) {
        SLMSpecialist specialist = get(namespace, "invoice-parser");
        return specialist == null || specialist.getStatus() == null ? null
                : specialist.getStatus().adapters.stream().filter(a -> a.name.equals(name)).findFirst().orElse(null);
    }

    private Deployment deployment(String namespace, String name) {
        return client.apps().deployments().inNamespace(namespace).withName(name).get();
    }

    private SLMSpecialist get(String namespace, String name) {
        return client.resources(SLMSpecialist.class).inNamespace(namespace).withName(name).get();
    }

    private List<Event> events(String namespace) {
        return client.v1().events().inNamespace(namespace).list().getItems();
    }

    private static Condition condition(SLMSpecialist specialist, String type) {
        return Conditions.find(specialist.getStatus().conditions, type).orElseThrow();
    }

    static SLMSpecialist specialist(String name, String namespace) {
        SLMSpecialist specialist = Manifests.ofKind(input(name), SLMSpecialist.class).get(0);
        specialist.getMetadata().setNamespace(namespace);
        specialist.getMetadata().setUid(null);
        return specialist;
    }

    static List<io.fabric8.kubernetes.api.model.HasMetadata> input(String name) {
        try {
            return Manifests.parse(Files.readString(Path.of("src/test/resources/slmspecialist/" + name + ".yaml")));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
