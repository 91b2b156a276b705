package io.slmfleet.evaluationjob;

import static io.slmfleet.testing.OperatorTestSupport.claim;
import static io.slmfleet.testing.OperatorTestSupport.createTerminatedPod;
import static io.slmfleet.testing.OperatorTestSupport.createWithStatus;
import static io.slmfleet.testing.OperatorTestSupport.eventually;
import static io.slmfleet.testing.OperatorTestSupport.markJobFinished;
import static io.slmfleet.testing.OperatorTestSupport.markJobRunning;
import static io.slmfleet.testing.OperatorTestSupport.newNamespace;
import static io.slmfleet.testing.OperatorTestSupport.pause;
import static io.slmfleet.testing.OperatorTestSupport.secret;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.slmfleet.api.v1alpha1.AdapterStatus;
import io.slmfleet.api.v1alpha1.AgentRoute;
import io.slmfleet.api.v1alpha1.CurationJob;
import io.slmfleet.api.v1alpha1.CurationJobStatus;
import io.slmfleet.api.v1alpha1.EvaluationJob;
import io.slmfleet.api.v1alpha1.EvaluationJobStatus.Phase;
import io.slmfleet.api.v1alpha1.SLMSpecialist;
import io.slmfleet.api.v1alpha1.SLMSpecialistStatus;
import io.slmfleet.common.Conditions;
import io.slmfleet.evaluation.EvaluationSummary;
import io.slmfleet.render.Manifests;
import io.slmfleet.testing.ServerSideApplyKubernetesServerTestResource;

/**
 * Tier 3: the EvaluationJob reconciler against fabric8's mock API server. The mock runs no controllers, so the tests
 * play the CurationJob's, the specialist's, the Job controller and kubelet: statuses, and a pod terminated with the
 * summary the evaluate command writes (built with the command's own {@link EvaluationSummary}).
 */
@QuarkusTest
@TestProfile(EvaluationJobTestProfile.class)
@WithTestResource(ServerSideApplyKubernetesServerTestResource.class)
class EvaluationJobReconcilerTest {

    private static final String EVALUATION = "eval-invoice-2026-12";
    private static final String JOB = EVALUATION + "-evaluate";

    @Inject
    KubernetesClient client;

    @Test
    void waitsForItsDataSetAndCandidatesThenRanksThem() throws IOException {
        String namespace = newNamespace(client, "evaluate");
        client.resource(claim(namespace, "agent-usage")).create();
        client.resource(new ConfigMapBuilder().withNewMetadata().withName("invoice-schema").withNamespace(namespace)
                .endMetadata().withData(Map.of("schema.json", "{\"type\":\"object\"}")).build()).create();
        client.resource(evaluation(namespace)).create();

        EvaluationJob waiting = eventually().until(() -> get(namespace), e -> reason(e) != null);
        assertThat(waiting.getStatus().phase).isEqualTo(Phase.Pending);
        assertThat(reason(waiting)).isEqualTo("DatasetNotFound");
        assertThat(waiting.getStatus().observedGeneration).isEqualTo(1L);

        CurationJob curation = curation(namespace, CurationJobStatus.Phase.Running);
        createWithStatus(client, curation);
        eventually().until(() -> get(namespace), e -> "DatasetNotReady".equals(reason(e)));

        curation = client.resources(CurationJob.class).inNamespace(namespace).withName(curation.getMetadata().getName()).get();
        curation.getStatus().phase = CurationJobStatus.Phase.Succeeded;
        client.resource(curation).updateStatus();
        EvaluationJob missing = eventually().until(() -> get(namespace),
                e -> CandidateResolver.CANDIDATE_NOT_FOUND.equals(reason(e)));
        assertThat(condition(missing).getMessage()).isEqualTo("candidate invoice-v3: SLMSpecialist invoice-parser not found; "
                + "candidate base-1b: SLMSpecialist invoice-parser not found; "
                + "candidate teacher: AgentRoute invoice-agent not found");

        SLMSpecialist specialist = EvaluationDesiredStateTest.readySpecialist();
        specialist.getMetadata().setNamespace(namespace);
        specialist.getStatus().adapters.get(0).state = AdapterStatus.State.Pending;
        createWithStatus(client, specialist);
        AgentRoute route = EvaluationDesiredStateTest.invoiceRoute();
        route.getMetadata().setNamespace(namespace);
        client.resource(route).create();
        client.resource(secret(namespace, "llm-api", "API_KEY")).create();
        EvaluationJob notReady = eventually().until(() -> get(namespace),
                e -> CandidateResolver.CANDIDATE_NOT_READY.equals(reason(e)));
        assertThat(condition(notReady).getMessage()).startsWith("candidate invoice-v3: adapter invoice-v3 of SLMSpecialist "
                + "invoice-parser is Pending");
        pause();
        assertThat(job(namespace)).as("no Job before every candidate is ready").isNull();

        // the adapter is mounted: the specialist's event starts the run
        SLMSpecialist mounted = client.resources(SLMSpecialist.class).inNamespace(namespace).withName("invoice-parser").get();
        mounted.getStatus().adapters.get(0).state = AdapterStatus.State.Mounted;
        client.resource(mounted).updateStatus();
        Job job = eventually().until(() -> job(namespace), j -> j != null);
        List<String> args = job.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs();
        assertThat(String.join(" ", args)).contains("--dataset /data/curated/invoice/2026-12/eval.jsonl",
                "--candidate invoice-v3=http://invoice-parser.agents.svc:8000/v1,invoice-v3",
                "--gpu-price invoice-v3=0.8", "--api-key-env teacher=CANDIDATE_2_API_KEY", "--token-price teacher=0.6,0.6");
        assertThat(job.getMetadata().getOwnerReferences()).singleElement()
                .satisfies(owner -> assertThat(owner.getKind()).isEqualTo("EvaluationJob"));

        markJobRunning(client, job(namespace));
        eventually().until(() -> get(namespace), e -> e.getStatus().phase == Phase.Running);

        createTerminatedPod(client, job(namespace), JOB + "-x7k2p", EvaluationLayout.CONTAINER, 0, succeededSummary());
        markJobFinished(client, job(namespace), "Complete", "CompletionsReached", "Reached expected number of succeeded pods");
        EvaluationJob ranked = eventually().until(() -> get(namespace),
                e -> e.getStatus().phase == Phase.Succeeded && e.getStatus().leaderboard != null);
        assertThat(reason(ranked)).isEqualTo("Evaluated");
        assertThat(condition(ranked).getMessage()).isEqualTo("candidates evaluated: 200 examples, recommended invoice-v3");
        assertThat(ranked.getStatus().examples).isEqualTo(200L);
        assertThat(ranked.getStatus().leaderboard).extracting(row -> row.name).containsExactly("invoice-v3", "base-1b",
                "teacher");
        assertThat(ranked.getStatus().leaderboard.get(0).agreementLower).isEqualTo(0.951);
        assertThat(ranked.getStatus().leaderboard.get(0).costPer1k).isEqualTo(0.0266);
        assertThat(ranked.getStatus().recommendation.candidate).isEqualTo("invoice-v3");
        assertThat(ranked.getStatus().report).isEqualTo("evaluations/invoice-2026-12/report.jsonl");
        eventually().until(() -> reasons(namespace).containsAll(List.of("DatasetNotFound", "CandidateNotReady", "JobCreated",
                "Evaluating", "Evaluated")));

        // The Job's TTL runs out: a finished run never runs again.
        client.batch().v1().jobs().inNamespace(namespace).withName(JOB).delete();
        eventually().until(() -> job(namespace) == null);
        pause();
        assertThat(job(namespace)).isNull();
        assertThat(get(namespace).getStatus().phase).isEqualTo(Phase.Succeeded);
    }

    @Test
    void aMissingKeyFailsWithTheCommandsOwnReason() throws IOException {
        String namespace = newNamespace(client, "nokey");
        EvaluationJob evaluation = EvaluationDesiredStateTest.load("endpoint");
        evaluation.getMetadata().setNamespace(namespace);
        client.resource(claim(namespace, "eval-sets")).create();
        client.resource(evaluation).create();
        eventually().until(() -> client.resources(EvaluationJob.class).inNamespace(namespace).withName("eval-external").get(),
                e -> CandidateResolver.SECRET_NOT_FOUND.equals(reason(e)));

        client.resource(secret(namespace, "hosted-llm", "API_KEY")).create();
        Job job = eventually().until(() -> client.batch().v1().jobs().inNamespace(namespace)
                .withName("eval-external-evaluate").get(), j -> j != null);
        createTerminatedPod(client, job, "eval-external-evaluate-a1b2c", EvaluationLayout.CONTAINER,
                EvaluationLayout.BAD_INPUT_EXIT_CODE, EvaluationSummary.failed(EvaluationSummary.REASON_API_KEY_MISSING,
                        "the environment variable CANDIDATE_0_API_KEY (--api-key-env hosted-8b) is empty").toJson());
        markJobFinished(client, job, "Failed", "PodFailurePolicy", "Container evaluate for pod x failed with exit code 2");

        EvaluationJob failed = eventually().until(() -> client.resources(EvaluationJob.class).inNamespace(namespace)
                .withName("eval-external").get(), e -> e.getStatus().phase == Phase.Failed);
        assertThat(Conditions.find(failed.getStatus().conditions, EvaluationStatusLogic.FAILED).orElseThrow().getReason())
                .isEqualTo("ApiKeyMissing");
        assertThat(failed.getStatus().leaderboard).isNull();
        eventually().until(() -> client.v1().events().inNamespace(namespace).list().getItems().stream()
                .anyMatch(e -> "ApiKeyMissing".equals(e.getReason()) && "Warning".equals(e.getType())));
    }

    /** What the evaluate command leaves for three candidates: the adapter clears the gate and is cheapest. */
    private static String succeededSummary() {
        return EvaluationSummary.succeeded(200, 0, List.of(
                new EvaluationSummary.CandidateSummary("invoice-v3", 200, 196, 3, 1, 0, 0, 0.985, 0.951, 0.997, 0.97,
                        0.005, 0.0, 180.0, 410.0, 62.0, 0.0266),
                new EvaluationSummary.CandidateSummary("base-1b", 200, 150, 44, 6, 0, 0, 0.773, 0.69, 0.84, 0.8,
                        0.03, 0.0, 170.0, 400.0, 64.0, 0.0251),
                new EvaluationSummary.CandidateSummary("teacher", 200, 198, 2, 0, 0, 0, 0.99, 0.96, 0.999, 0.99,
                        0.0, 0.0, 900.0, 2100.0, 40.0, 0.71)),
                new EvaluationSummary.Recommendation("invoice-v3", "cheapest (0.027 USD per 1k requests) of 2 candidates "
                        + "whose agreement lower bound clears 0.95")).toJson();
    }

    private static EvaluationJob evaluation(String namespace) throws IOException {
        EvaluationJob evaluation = EvaluationDesiredStateTest.example();
        evaluation.getMetadata().setNamespace(namespace);
        return evaluation;
    }

    private static CurationJob curation(String namespace, CurationJobStatus.Phase phase) throws IOException {
        CurationJob curation = Manifests.ofKind(Manifests.parse(Files.readString(
                Path.of("examples/invoice-agent/curation.yaml"))), CurationJob.class).get(0);
        curation.getMetadata().setNamespace(namespace);
        curation.setStatus(new CurationJobStatus());
        curation.getStatus().phase = phase;
        return curation;
    }

    private Job job(String namespace) {
        return client.batch().v1().jobs().inNamespace(namespace).withName(JOB).get();
    }

    private EvaluationJob get(String namespace) {
        return client.resources(EvaluationJob.class).inNamespace(namespace).withName(EVALUATION).get();
    }

    private static String reason(EvaluationJob evaluation) {
        return evaluation == null || evaluation.getStatus() == null ? null
                : Conditions.find(evaluation.getStatus().conditions, EvaluationStatusLogic.READY).map(Condition::getReason)
                        .orElse(null);
    }

    private static Condition condition(EvaluationJob evaluation) {
        return Conditions.find(evaluation.getStatus().conditions, EvaluationStatusLogic.READY).orElseThrow();
    }

    private List<String> reasons(String namespace) {
        return client.v1().events().inNamespace(namespace).list().getItems().stream().map(Event::getReason).toList();
    }
}
