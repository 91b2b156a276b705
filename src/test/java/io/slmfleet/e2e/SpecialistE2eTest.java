package io.slmfleet.e2e;

import static io.slmfleet.e2e.support.E2eHarness.eventually;
import static io.slmfleet.e2e.support.E2eHarness.secret;
import static io.slmfleet.testing.OperatorTestSupport.edit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.slmfleet.api.v1alpha1.SLMSpecialist;
import io.slmfleet.api.v1alpha1.SLMSpecialistStatus.Phase;
import io.slmfleet.common.ChildApplier;
import io.slmfleet.e2e.support.E2eDiagnostics;
import io.slmfleet.e2e.support.E2eHarness;
import io.slmfleet.e2e.support.E2eProfile;
import io.slmfleet.e2e.support.FakeKubelet;
import io.slmfleet.e2e.support.OperatorWrites;
import io.slmfleet.render.Manifests;

/**
 * The SLMSpecialist reconciler (running in this JVM) against a real API server: what the mock API server cannot show,
 * i.e. real server-side apply and field ownership, real watches, scheduling onto GPU nodes, garbage collection, an API
 * server restart, and a converged operator that stays quiet. Methods run in order: each builds on the specialist the
 * first one made Ready; the API server restart comes last.
 */
@Tag("e2e")
@ExtendWith(E2eDiagnostics.class)
@QuarkusTest
@TestProfile(E2eProfile.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SpecialistE2eTest {

    private static final String NAME = "parser";
    private static final String OTHER_MANAGER = "e2e-other-tool";

    static E2eHarness harness;
    static KubernetesClient client;
    static String namespace;

    @BeforeAll
    static void createNamespace() {
        harness = E2eHarness.get();
        client = harness.client();
        namespace = harness.createNamespace("specialist");
        client.resource(secret(namespace, "ngc-api", "NGC_API_KEY")).create();
    }

    @AfterAll
    static void deleteNamespace() {
        if (namespace != null) {
            harness.deleteNamespace(namespace);
        }
    }

    @Test
    @Order(1)
    void becomesReadyOnAFakeGpuNodeOfTheRightProduct() {
        client.resource(specialist(namespace)).create();

        SLMSpecialist ready = eventually(Duration.ofSeconds(120)).until(() -> get(), s -> isReady(s));
        assertThat(ready.getStatus().observedGeneration).isEqualTo(1L);
        assertThat(ready.getStatus().readyReplicas).isEqualTo(1);
        assertThat(ready.getStatus().endpoint).isEqualTo("http://parser." + namespace + ".svc:8000/v1");

        Deployment deployment = deployment();
        assertThat(deployment.getSpec().getTemplate().getSpec().getNodeSelector())
                .containsEntry(FakeKubelet.GPU_PRODUCT_LABEL, E2eHarness.GPU_PRODUCT);
        if (harness.cluster().hasControllerManager()) {
            List<Pod> pods = client.pods().inNamespace(namespace).list().getItems();
            assertThat(pods).singleElement().satisfies(pod -> assertThat(harness.kubelet().nodeNames())
                    .as("placed on a fake GPU node (by %s)", harness.cluster().hasScheduler() ? "kube-scheduler" : "the fake kubelet")
                    .contains(pod.getSpec().getNodeName()));
        }
        assertThat(client.services().inNamespace(namespace).withName(NAME).get()).isNotNull();
        assertThat(client.persistentVolumeClaims().inNamespace(namespace).withName(NAME + "-cache").get()).isNotNull();
    }

    @Test
    @Order(2)
    void aChildEditedOrDeletedByHandIsRestored() {
        String image = container(deployment()).getImage();
        edit(client.apps().deployments().inNamespace(namespace).withName(NAME), d -> {
            d.getSpec().getTemplate().getSpec().getContainers().get(0).setImage("example.com/not-nim:latest");
            return d;
        });
        eventually().until(() -> container(deployment()).getImage(), image::equals);

        String uid = client.services().inNamespace(namespace).withName(NAME).get().getMetadata().getUid();
        client.services().inNamespace(namespace).withName(NAME).delete();
        Service recreated = eventually().until(() -> client.services().inNamespace(namespace).withName(NAME).get(),
                service -> service != null && !service.getMetadata().getUid().equals(uid));
        assertThat(recreated.getMetadata().getOwnerReferences()).singleElement()
                .satisfies(owner -> assertThat(owner.getName()).isEqualTo(NAME));
    }

    @Test
    @Order(3)
    void anotherFieldManagerKeepsItsOwnFieldsAndLosesTheOperatorsOnes() {
        String image = container(deployment()).getImage();
        Deployment theirs = new DeploymentBuilder()
                .withNewMetadata().withName(NAME).withNamespace(namespace)
                    .addToAnnotations("example.com/owned-by", OTHER_MANAGER)
                .endMetadata()
                .withNewSpec()
                    .withNewTemplate().withNewSpec()
                        .addNewContainer().withName(container(deployment()).getName()).withImage("example.com/theirs:1")
                        .endContainer()
                    .endSpec().endTemplate()
                .endSpec()
                .build();

        // Without force, the API server refuses to hand over a field another manager owns.
        org.assertj.core.api.Assertions.assertThatThrownBy(
                () -> client.resource(theirs).fieldManager(OTHER_MANAGER).serverSideApply())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(409));

        client.resource(theirs).fieldManager(OTHER_MANAGER).forceConflicts().serverSideApply();

        Deployment settled = eventually().until(this::deployment, d -> image.equals(container(d).getImage()));
        assertThat(settled.getMetadata().getAnnotations()).containsEntry("example.com/owned-by", OTHER_MANAGER);
        eventually().until(() -> managers(deployment()).get(OTHER_MANAGER), fields -> fields != null
                && fields.contains("example.com/owned-by") && !fields.contains("\"f:image\""));
        assertThat(managers(deployment()).get(ChildApplier.FIELD_MANAGER)).contains("\"f:image\"");
    }

    @Test
    @Order(4)
    void aConvergedSpecialistMakesNoWritesForAMinute() throws InterruptedException {
        eventually().until(() -> isReady(get()) && image(deployment()).startsWith("nvcr.io/"));
        Thread.sleep(2000); // the last status patch and events of the previous scenarios settle
        long quietSeconds = Long.getLong("e2e.quiet.seconds", 60);
        try (OperatorWrites writes = OperatorWrites.from(client, harness.cluster(), namespace, List.of(SLMSpecialist.class,
                Deployment.class, Service.class, PersistentVolumeClaim.class, PodDisruptionBudget.class))) {
            Thread.sleep(quietSeconds * 1000);
            assertThat(writes.list()).as("the operator's writes in %d s of steady state, counted by %s", quietSeconds,
                    writes.method()).isEmpty();
        }
    }

    @Test
    @Order(5)
    void theApiServerRestartsAndTheOperatorCarriesOnWithoutARestartOfItsOwn() {
        assumeTrue(harness.cluster().canRestartApiServer(), "needs a control plane started from KUBEBUILDER_ASSETS");
        harness.cluster().restartApiServer();

        // Both directions of the watches work again: a spec change reaches the Deployment, a deleted child returns.
        edit(client.resources(SLMSpecialist.class).inNamespace(namespace).withName(NAME), s -> {
            s.getSpec().env.add(new io.fabric8.kubernetes.api.model.EnvVar("NIM_LOG_LEVEL", "DEBUG", null));
            return s;
        });
        eventually(Duration.ofSeconds(120)).until(() -> container(deployment()).getEnv().stream()
                .anyMatch(env -> "NIM_LOG_LEVEL".equals(env.getName()) && "DEBUG".equals(env.getValue())));
        client.services().inNamespace(namespace).withName(NAME).delete();
        eventually(Duration.ofSeconds(120)).until(() -> client.services().inNamespace(namespace).withName(NAME).get() != null);
        eventually(Duration.ofSeconds(120)).until(() -> get().getStatus().observedGeneration == 2L && isReady(get()));
    }

    @Test
    @Order(6)
    void deletionCollectsEverythingOwnedAndKeepsTheRetainedCache() {
        assumeTrue(harness.cluster().hasControllerManager(), "garbage collection needs kube-controller-manager");
        String claimUid = client.persistentVolumeClaims().inNamespace(namespace).withName(NAME + "-cache").get()
                .getMetadata().getUid();

        client.resources(SLMSpecialist.class).inNamespace(namespace).withName(NAME).delete();

        eventually(Duration.ofSeconds(120)).until(() -> deployment() == null
                && client.services().inNamespace(namespace).withName(NAME).get() == null
                && client.apps().replicaSets().inNamespace(namespace).list().getItems().isEmpty()
                && client.pods().inNamespace(namespace).list().getItems().isEmpty());
        PersistentVolumeClaim cache = client.persistentVolumeClaims().inNamespace(namespace).withName(NAME + "-cache").get();
        assertThat(cache).as("the retained model cache outlives its specialist").isNotNull();
        assertThat(cache.getMetadata().getUid()).isEqualTo(claimUid);
        assertThat(cache.getMetadata().getDeletionTimestamp()).isNull();
    }

    @Test
    @Order(7)
    void aSpecialistWhosePodsTheApiServerRefusesSaysWhy() {
        assumeTrue(harness.cluster().hasControllerManager(), "pods are created by kube-controller-manager's ReplicaSets");
        SLMSpecialist refused = specialist(namespace);
        refused.getMetadata().setName("refused");
        refused.getSpec().gpu.runtimeClassName = "no-such-runtime";
        refused.getSpec().cache = null;
        client.resource(refused).create();

        SLMSpecialist told = eventually(Duration.ofSeconds(120)).until(
                () -> client.resources(SLMSpecialist.class).inNamespace(namespace).withName("refused").get(),
                s -> s.getStatus() != null && s.getStatus().phase == Phase.Failed);
        assertThat(told.getStatus().conditions).filteredOn(c -> c.getType().equals("Ready")).singleElement()
                .satisfies(ready -> {
                    assertThat(ready.getReason()).isEqualTo("RuntimeClassNotFound");
                    assertThat(ready.getMessage()).startsWith("the NIM Deployment cannot create pods: ")
                            .contains("RuntimeClass \"no-such-runtime\" not found");
                });
    }

    static SLMSpecialist specialist(String namespace) {
        SLMSpecialist specialist = Manifests.ofKind(Manifests.parse(E2eResources.read("e2e/specialist.yaml")),
                SLMSpecialist.class).get(0);
        specialist.getMetadata().setNamespace(namespace);
        return specialist;
    }

    static boolean isReady(SLMSpecialist specialist) {
        return specialist != null && specialist.getStatus() != null && specialist.getStatus().phase == Phase.Ready;
    }

    private SLMSpecialist get() {
        return client.resources(SLMSpecialist.class).inNamespace(namespace).withName(NAME).get();
    }

    private Deployment deployment() {
        return client.apps().deployments().inNamespace(namespace).withName(NAME).get();
    }

    private static io.fabric8.kubernetes.api.model.Container container(Deployment deployment) {
        return deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
    }

    private static String image(Deployment deployment) {
        return container(deployment).getImage();
    }

    /** Field manager → the JSON of the fields it owns. */
    private static Map<String, String> managers(Deployment deployment) {
        return deployment.getMetadata().getManagedFields().stream().collect(java.util.stream.Collectors.toMap(
                ManagedFieldsEntry::getManager, entry -> Serialization.asJson(entry.getFieldsV1()),
                (a, b) -> a + b));
    }
}
