package io.slmfleet.e2e;

import static io.slmfleet.e2e.support.E2eHarness.eventually;
import static io.slmfleet.e2e.support.E2eHarness.secret;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.slmfleet.api.v1alpha1.AdapterStatus;
import io.slmfleet.api.v1alpha1.AgentRoute;
import io.slmfleet.api.v1alpha1.AgentRouteStatus;
import io.slmfleet.api.v1alpha1.CurationJob;
import io.slmfleet.api.v1alpha1.CurationJobStatus;
import io.slmfleet.api.v1alpha1.EvaluationJob;
import io.slmfleet.api.v1alpha1.EvaluationJobStatus;
import io.slmfleet.api.v1alpha1.FineTuneJob;
import io.slmfleet.api.v1alpha1.FineTuneJobStatus;
import io.slmfleet.api.v1alpha1.SLMSpecialist;
import io.slmfleet.common.Labels;
import io.slmfleet.e2e.support.AuditLog;
import io.slmfleet.e2e.support.E2eDiagnostics;
import io.slmfleet.e2e.support.E2eHarness;
import io.slmfleet.e2e.support.E2eProfile;
import io.slmfleet.e2e.support.FakeKubelet.JobOutcome;
import io.slmfleet.e2e.support.TestCluster.Identity;
import io.slmfleet.evaluation.EvaluationSummary;
import io.slmfleet.render.Manifests;

/**
 * The invoice-agent example (examples/invoice-agent/) as a user applies it, end to end: the specialist becomes Ready
 * with its adapter Pending, the CurationJob's Job runs and reports its summary, only then the FineTuneJob's Job runs on
 * a fake GPU node and succeeds with the trainer's summary, the adapter is Mounted, the AgentRoute re-renders its routing
 * table with the adapter target ready, and deleting the four resources removes everything the operator made except the
 * retained model cache. On the way, an EvaluationJob (examples/evaluationjob.yaml) ranks the adapter, the base model
 * and the teacher once the adapter is mounted.
 */
@Tag("e2e")
@ExtendWith(E2eDiagnostics.class)
@QuarkusTest
@TestProfile(E2eProfile.class)
class InvoiceAgentE2eTest {

    static final Path EXAMPLE = Path.of("examples/invoice-agent");
    static final Path EVALUATION = Path.of("examples/evaluationjob.yaml");
    static final String EVALUATION_SUMMARY = EvaluationSummary.succeeded(200, 0, List.of(
            new EvaluationSummary.CandidateSummary("invoice-v3", 200, 196, 3, 1, 0, 0, 0.985, 0.951, 0.997, 0.97, 0.005,
                    0.0, 180.0, 410.0, 62.0, 0.0266),
            new EvaluationSummary.CandidateSummary("base-1b", 200, 150, 44, 6, 0, 0, 0.773, 0.69, 0.84, 0.8, 0.03, 0.0,
                    170.0, 400.0, 64.0, 0.0251),
            new EvaluationSummary.CandidateSummary("teacher", 200, 198, 2, 0, 0, 0, 0.99, 0.96, 0.999, 0.99, 0.0, 0.0,
                    900.0, 2100.0, 40.0, null)),
            new EvaluationSummary.Recommendation("invoice-v3", "cheapest (0.027 USD per 1k requests) of 2 candidates whose "
                    + "agreement lower bound clears 0.95")).toJson();
    static final String TRAINER_SUMMARY = "{\"trainLoss\": 0.41, \"evalLoss\": 0.47, \"epochsCompleted\": 2}";
    static final String CURATION_SUMMARY = "{\"outcome\":\"Succeeded\",\"records\":{\"read\":5120,\"kept\":1100,"
            + "\"dropped\":{\"notTeacher\":4020}},\"split\":{\"train\":810,\"validation\":90,\"eval\":200}}";

    static E2eHarness harness;
    static KubernetesClient client;
    static String namespace;

    @Inject
    Operator operator;

    @BeforeAll
    static void createNamespace() {
        harness = E2eHarness.get();
        client = harness.client();
        namespace = harness.createNamespace("invoice");
    }

    @AfterAll
    static void deleteNamespace() {
        if (namespace != null) {
            harness.deleteNamespace(namespace);
        }
    }

    @Test
    void fromSpecialistToFineTunedAdapterToRouteAndBackToNothing() throws IOException {
        assumeTrue(Files.isDirectory(EXAMPLE), EXAMPLE + " is missing");
        Set<Class<?>> reconciled = operator.getRegisteredControllers().stream()
                .map(controller -> (Class<?>) controller.getConfiguration().getResourceClass())
                .collect(Collectors.toSet());
        assumeTrue(reconciled.containsAll(Set.of(SLMSpecialist.class, FineTuneJob.class, AgentRoute.class, CurationJob.class,
                EvaluationJob.class)), "needs the SLMSpecialist, FineTuneJob, AgentRoute, CurationJob and EvaluationJob "
                + "reconcilers; this build has " + reconciled);
        assumeTrue(harness.cluster().hasControllerManager(),
                "Jobs, Deployments and garbage collection need kube-controller-manager");

        long auditMark = harness.cluster().auditLog().map(AuditLog::mark).orElse(0L);
        client.resource(secret(namespace, "ngc-api", "NGC_API_KEY")).create();
        client.resource(secret(namespace, "ngc-registry", ".dockerconfigjson")).create();
        client.resource(secret(namespace, "hf-token", "HF_TOKEN")).create();
        client.resource(secret(namespace, "llm-api", "API_KEY")).create();
        for (HasMetadata object : example()) {
            object.getMetadata().setNamespace(namespace);
            client.resource(object).create();
        }

        // 1. The specialist serves its base model; its adapter waits for the fine-tune.
        SLMSpecialist ready = eventually(Duration.ofSeconds(120)).until(() -> specialist(), SpecialistE2eTest::isReady);
        assertThat(adapter(ready).state).isNotEqualTo(AdapterStatus.State.Mounted);
        AgentRoute before = eventually(Duration.ofSeconds(120)).until(this::route,
                route -> route.getStatus() != null && route.getStatus().configHash != null && adapterTarget(route) != null);
        assertThat(adapterTarget(before).ready).as("the adapter target before the adapter exists").isFalse();

        // 2. The curation runs and reports its figures; the fine-tune waits for its data set until then.
        CurationJob curating = eventually(Duration.ofSeconds(120)).until(this::curationJob,
                job -> job.getStatus() != null && job.getStatus().phase == CurationJobStatus.Phase.Running);
        assertThat(fineTuneJob().getStatus().phase).isEqualTo(FineTuneJobStatus.Phase.Pending);
        harness.kubelet().finishJob(namespace, curating.getStatus().jobName, JobOutcome.succeeded(CURATION_SUMMARY));
        CurationJob curated = eventually(Duration.ofSeconds(120)).until(this::curationJob,
                job -> job.getStatus().phase == CurationJobStatus.Phase.Succeeded && job.getStatus().records != null);
        assertThat(curated.getStatus().records.kept).isEqualTo(1100L);

        // 3. The fine-tune runs on a GPU node and the trainer reports its summary as it exits.
        FineTuneJob running = eventually(Duration.ofSeconds(120)).until(this::fineTuneJob,
                job -> job.getStatus() != null && job.getStatus().phase == FineTuneJobStatus.Phase.Running
                        && job.getStatus().jobName != null);
        harness.kubelet().finishJob(namespace, running.getStatus().jobName, JobOutcome.succeeded(TRAINER_SUMMARY));
        FineTuneJob succeeded = eventually(Duration.ofSeconds(120)).until(this::fineTuneJob,
                job -> job.getStatus().phase == FineTuneJobStatus.Phase.Succeeded);
        assertThat(succeeded.getStatus().metrics.trainLoss).isEqualTo(0.41);
        assertThat(succeeded.getStatus().adapter.name).isEqualTo("invoice-v3");

        // 4. The adapter is mounted and the route sends traffic to it.
        eventually(Duration.ofSeconds(120)).until(() -> adapter(specialist()).state == AdapterStatus.State.Mounted);
        AgentRoute after = eventually(Duration.ofSeconds(120)).until(this::route,
                route -> Boolean.TRUE.equals(adapterTarget(route).ready));
        assertThat(after.getStatus().configHash).as("the routing table was rendered again")
                .isNotEqualTo(before.getStatus().configHash);
        // New routing tables and targets turning ready: the router reloaded its file and never rolled out again.
        Deployment router = client.apps().deployments().inNamespace(namespace).withName("invoice-agent-router").get();
        assertThat(router.getMetadata().getGeneration()).as("router Deployment generation").isEqualTo(1L);
        assertThat(client.apps().replicaSets().inNamespace(namespace).withLabel("app.kubernetes.io/instance", "invoice-agent")
                .list().getItems()).as("router ReplicaSets").hasSize(1);
        // The operator is the only writer of its status: no write of its own may conflict.
        harness.cluster().auditLog().ifPresent(audit -> assertThat(audit.writesSince(auditMark, Identity.OPERATOR.user))
                .as("the operator's writes answered 409 Conflict").noneMatch(write -> write.code() == 409));

        // 5. The adapter, the base model and the teacher are ranked on the curated eval set.
        EvaluationJob evaluation = Manifests.ofKind(Manifests.parse(Files.readString(EVALUATION)), EvaluationJob.class).get(0);
        evaluation.getMetadata().setNamespace(namespace);
        client.resource(evaluation).create();
        EvaluationJob evaluating = eventually(Duration.ofSeconds(120)).until(this::evaluationJob,
                job -> job.getStatus() != null && job.getStatus().phase == EvaluationJobStatus.Phase.Running);
        harness.kubelet().finishJob(namespace, evaluating.getStatus().jobName, JobOutcome.succeeded(EVALUATION_SUMMARY));
        EvaluationJob ranked = eventually(Duration.ofSeconds(120)).until(this::evaluationJob,
                job -> job.getStatus().phase == EvaluationJobStatus.Phase.Succeeded && job.getStatus().leaderboard != null);
        assertThat(ranked.getStatus().recommendation.candidate).isEqualTo("invoice-v3");
        assertThat(ranked.getStatus().leaderboard).extracting(row -> row.name).containsExactly("invoice-v3", "base-1b",
                "teacher");

        // 6. Deleting the five resources removes everything the operator made, except the retained cache.
        client.resources(EvaluationJob.class).inNamespace(namespace).withName("eval-invoice-2026-12").delete();
        client.resources(AgentRoute.class).inNamespace(namespace).withName("invoice-agent").delete();
        client.resources(CurationJob.class).inNamespace(namespace).withName("cur-invoice-2026-12").delete();
        client.resources(FineTuneJob.class).inNamespace(namespace).withName("ft-invoice-v3").delete();
        client.resources(SLMSpecialist.class).inNamespace(namespace).withName("invoice-parser").delete();
        eventually(Duration.ofSeconds(180)).until(() -> operatorMade().stream().map(this::describe).toList(),
                left -> left.equals(List.of("PersistentVolumeClaim/invoice-parser-cache")));
        eventually(Duration.ofSeconds(180)).until(() -> client.pods().inNamespace(namespace).list().getItems().isEmpty());
        PersistentVolumeClaim cache = client.persistentVolumeClaims().inNamespace(namespace).withName("invoice-parser-cache")
                .get();
        assertThat(cache.getMetadata().getDeletionTimestamp()).isNull();
    }

    /** Objects in the namespace labelled as the operator's, of every kind the three reconcilers make. */
    private List<HasMetadata> operatorMade() {
        String selector = Labels.MANAGED_BY;
        List<HasMetadata> made = new ArrayList<>();
        made.addAll(client.apps().deployments().inNamespace(namespace).withLabel(selector, Labels.MANAGER).list().getItems());
        made.addAll(client.services().inNamespace(namespace).withLabel(selector, Labels.MANAGER).list().getItems());
        made.addAll(client.configMaps().inNamespace(namespace).withLabel(selector, Labels.MANAGER).list().getItems());
        made.addAll(client.batch().v1().jobs().inNamespace(namespace).withLabel(selector, Labels.MANAGER).list().getItems());
        made.addAll(client.policy().v1().podDisruptionBudget().inNamespace(namespace).withLabel(selector, Labels.MANAGER)
                .list().getItems());
        made.addAll(client.autoscaling().v2().horizontalPodAutoscalers().inNamespace(namespace)
                .withLabel(selector, Labels.MANAGER).list().getItems());
        made.addAll(client.persistentVolumeClaims().inNamespace(namespace).withLabel(selector, Labels.MANAGER).list()
                .getItems());
        return made;
    }

    private String describe(HasMetadata object) {
        return object.getKind() + "/" + object.getMetadata().getName();
    }

    private static List<HasMetadata> example() throws IOException {
        try (Stream<Path> files = Files.list(EXAMPLE)) {
            List<Path> sorted = files.filter(file -> file.toString().endsWith(".yaml")).sorted().toList();
            List<HasMetadata> objects = new ArrayList<>();
            for (Path file : sorted) {
                objects.addAll(Manifests.parse(Files.readString(file)));
            }
            // what a user has first: storage and configuration, then the three resources
            objects.sort(java.util.Comparator.comparing(object -> object.getApiVersion().startsWith("slmfleet.io") ? 1 : 0));
            return objects;
        }
    }

    private SLMSpecialist specialist() {
        return client.resources(SLMSpecialist.class).inNamespace(namespace).withName("invoice-parser").get();
    }

    private CurationJob curationJob() {
        return client.resources(CurationJob.class).inNamespace(namespace).withName("cur-invoice-2026-12").get();
    }

    private EvaluationJob evaluationJob() {
        return client.resources(EvaluationJob.class).inNamespace(namespace).withName("eval-invoice-2026-12").get();
    }

    private FineTuneJob fineTuneJob() {
        return client.resources(FineTuneJob.class).inNamespace(namespace).withName("ft-invoice-v3").get();
    }

    private AgentRoute route() {
        return client.resources(AgentRoute.class).inNamespace(namespace).withName("invoice-agent").get();
    }

    private static AdapterStatus adapter(SLMSpecialist specialist) {
        return specialist.getStatus().adapters.stream().filter(a -> "invoice-v3".equals(a.name)).findFirst().orElseThrow();
    }

    private static AgentRouteStatus.TargetStatus adapterTarget(AgentRoute route) {
        return route.getStatus().targets.stream()
                .filter(target -> "invoice-parser".equals(target.specialist) && "invoice-v3".equals(target.adapter))
                .findFirst().orElse(null);
    }
}
