package io.slmfleet.e2e;

import static io.slmfleet.e2e.support.E2eHarness.eventually;
import static io.slmfleet.e2e.support.E2eHarness.secret;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.slmfleet.api.v1alpha1.SLMSpecialist;
import io.slmfleet.e2e.support.E2eDiagnostics;
import io.slmfleet.e2e.support.E2eHarness;
import io.slmfleet.e2e.support.OperatorProcess;

/**
 * The packaged operator killed with SIGKILL while it is creating children, then started again: it converges, and
 * nothing exists twice (every child was created once, keeps its UID, and no Deployment rolled out a second time).
 * A plain JUnit test: the operator runs in its own JVM, so it can be killed.
 */
@Tag("e2e")
@ExtendWith(E2eDiagnostics.class)
class OperatorRestartE2eTest {

    private static final int SPECIALISTS = 20;
    private static final Path LOG = Path.of("target/e2e-operator-restart.log");

    static E2eHarness harness;
    static KubernetesClient client;
    static String namespace;

    @BeforeAll
    static void createNamespace() {
        harness = E2eHarness.get();
        client = harness.client();
        namespace = harness.createNamespace("restart");
        client.resource(secret(namespace, "ngc-api", "NGC_API_KEY")).create();
    }

    @AfterAll
    static void deleteNamespace() {
        if (namespace != null) {
            harness.deleteNamespace(namespace);
        }
    }

    @Test
    void killedMidReconcileItConvergesAfterARestartWithNothingDuplicated() throws InterruptedException {
        Map<String, Set<String>> uidsByChild = new ConcurrentHashMap<>();
        CountDownLatch firstChild = new CountDownLatch(1);
        // Informers (a list, then a watch from its resourceVersion, relisting on errors), not bare watches: on 1.32.13
        // with etcd 3.4 (no RequestWatchProgress, as the API server logs) a watch without a resourceVersion, opened
        // on an idle namespace, delivered no event at all while the operator created all 60 children.
        List<SharedIndexInformer<?>> watches = List.of(
                client.apps().deployments().inNamespace(namespace).inform(new UidRecorder<>(uidsByChild, firstChild)),
                client.services().inNamespace(namespace).inform(new UidRecorder<>(uidsByChild, firstChild)),
                client.persistentVolumeClaims().inNamespace(namespace).inform(new UidRecorder<>(uidsByChild, firstChild)));
        try {
            // closed (SIGTERM) when an assertion fails before the kill: a failed test leaves no operator running
            try (OperatorProcess first = OperatorProcess.start(harness.cluster(), LOG, List.of())) {
                for (int i = 0; i < SPECIALISTS; i++) {
                    SLMSpecialist specialist = SpecialistE2eTest.specialist(namespace);
                    specialist.getMetadata().setName("parser-" + i);
                    client.resource(specialist).create();
                }
                assertThat(firstChild.await(60, TimeUnit.SECONDS)).as("the operator started creating children").isTrue();
                first.kill();
            }

            int childrenAtKill = client.apps().deployments().inNamespace(namespace).list().getItems().size()
                    + client.services().inNamespace(namespace).list().getItems().size()
                    + client.persistentVolumeClaims().inNamespace(namespace).list().getItems().size();
            long readyAtKill = specialists().stream().filter(SpecialistE2eTest::isReady).count();
            System.out.printf("[e2e] killed the operator with %d of %d children created and %d of %d specialists Ready%n",
                    childrenAtKill, 3 * SPECIALISTS, readyAtKill, SPECIALISTS);
            assertThat(readyAtKill).as("killed before the work was done").isLessThan(SPECIALISTS);

            try (OperatorProcess second = OperatorProcess.start(harness.cluster(), LOG, List.of())) {
                eventually(Duration.ofSeconds(180)).until(() -> specialists().stream().filter(SpecialistE2eTest::isReady)
                        .count() == SPECIALISTS);
            }
        } finally {
            watches.forEach(SharedIndexInformer::close);
        }

        assertThat(uidsByChild).hasSize(3 * SPECIALISTS);
        assertThat(uidsByChild).allSatisfy((child, uids) -> assertThat(uids).as("UIDs of %s", child).hasSize(1));
        for (Deployment deployment : client.apps().deployments().inNamespace(namespace).list().getItems()) {
            assertThat(deployment.getMetadata().getGeneration()).as("%s rolled out once", deployment.getMetadata().getName())
                    .isEqualTo(1L);
        }
        if (harness.cluster().hasControllerManager()) {
            assertThat(client.apps().replicaSets().inNamespace(namespace).list().getItems()).hasSize(SPECIALISTS);
            assertThat(client.pods().inNamespace(namespace).list().getItems()).hasSize(SPECIALISTS);
        }
    }

    private List<SLMSpecialist> specialists() {
        return client.resources(SLMSpecialist.class).inNamespace(namespace).list().getItems();
    }

    /** Every UID each child name was seen with: more than one means it was deleted and created again. */
    private record UidRecorder<T extends HasMetadata>(Map<String, Set<String>> uidsByChild, CountDownLatch firstChild)
            implements ResourceEventHandler<T> {
        @Override
        public void onAdd(T object) {
            record(object);
        }

        @Override
        public void onUpdate(T oldObject, T object) {
            record(object);
        }

        @Override
        public void onDelete(T object, boolean deletedFinalStateUnknown) {
        }

        private void record(T object) {
            uidsByChild.computeIfAbsent(object.getKind() + "/" + object.getMetadata().getName(),
                    name -> ConcurrentHashMap.newKeySet()).add(object.getMetadata().getUid());
            firstChild.countDown();
        }
    }
}
