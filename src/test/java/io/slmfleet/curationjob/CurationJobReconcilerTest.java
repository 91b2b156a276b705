package io.slmfleet.curationjob;

import static io.slmfleet.testing.OperatorTestSupport.claim;
import static io.slmfleet.testing.OperatorTestSupport.createTerminatedPod;
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

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.slmfleet.api.v1alpha1.CurationJob;
import io.slmfleet.api.v1alpha1.CurationJobStatus.Phase;
import io.slmfleet.api.v1alpha1.FineTuneJob;
import io.slmfleet.api.v1alpha1.FineTuneJobStatus;
import io.slmfleet.common.Conditions;
import io.slmfleet.render.Manifests;
import io.slmfleet.testing.ServerSideApplyKubernetesServerTestResource;

/**
 * Tier 3: the CurationJob reconciler, and a FineTuneJob training on its data set, against fabric8's mock API server.
 * The mock runs no controllers, so the tests play the Job controller and kubelet: Job status, and a pod terminated with
 * the summary the curate command writes.
 */
@QuarkusTest
@WithTestResource(ServerSideApplyKubernetesServerTestResource.class)
class CurationJobReconcilerTest {

    private static final String CURATION = "cur-invoice-2026-12";
    private static final String JOB = CURATION + "-curate";
    private static final String SUCCEEDED_SUMMARY = """
            {"outcome":"Succeeded","reason":null,"message":"wrote 900 records","records":{"read":48211,"kept":1100,\
            "dropped":{"duplicate":30110,"notTeacher":16589,"invalidOutput":412,"tooLong":0}},\
            "files":{"train":"train.jsonl","validation":"validation.jsonl","eval":"eval.jsonl","manifest":"manifest.json"},\
            "split":{"train":810,"validation":90,"eval":200},"taskClusters":[{"fingerprint":"3f9a0c11d2e4","records":1100,\
            "share":0.56,"suggestedTask":"parsing","tools":["extract_invoice"],"example":"Parse invoice INV-[REDACTED]"}]}""";

    @Inject
    KubernetesClient client;

    @Test
    void waitsForItsClaimsThenCuratesAndReportsTheFigures() throws IOException {
        String namespace = newNamespace(client, "curate");
        client.resource(curationJob(namespace)).create();

        CurationJob waiting = eventually().until(() -> get(namespace), c -> reason(c) != null);
        assertThat(waiting.getStatus().phase).isEqualTo(Phase.Pending);
        assertThat(reason(waiting)).isEqualTo("SourceNotFound");
        assertThat(condition(waiting, CurationStatusLogic.READY).getMessage()).isEqualTo("usage claim agent-usage not found");
        assertThat(waiting.getStatus().observedGeneration).isEqualTo(1L);
        assertThat(job(namespace)).as("no Job before the claims exist").isNull();

        client.resource(claim(namespace, "agent-usage")).create();
        Job job = eventually().until(() -> job(namespace), j -> j != null);
        assertThat(job.getSpec().getTemplate().getSpec().getVolumes()).extracting(Volume::getName)
                .containsExactly("source", "output", "tmp");
        assertThat(job.getMetadata().getOwnerReferences()).singleElement()
                .satisfies(owner -> assertThat(owner.getKind()).isEqualTo("CurationJob"));

        markJobRunning(client, job(namespace));
        eventually().until(() -> get(namespace), c -> c.getStatus().phase == Phase.Running);

        createTerminatedPod(client, job(namespace), JOB + "-q8w2z", CurationLayout.CONTAINER,
                0, SUCCEEDED_SUMMARY);
        markJobFinished(client, job(namespace), "Complete", "CompletionsReached",
                "Reached expected number of succeeded pods");
        CurationJob succeeded = eventually().until(() -> get(namespace),
                c -> c.getStatus().phase == Phase.Succeeded && c.getStatus().records != null);
        assertThat(reason(succeeded)).isEqualTo("DataSetWritten");
        assertThat(condition(succeeded, CurationStatusLogic.READY).getMessage()).isEqualTo("data set written to claim "
                + "agent-usage at curated/invoice/2026-12: 810 training, 90 validation and 200 evaluation records");
        assertThat(succeeded.getStatus().records.read).isEqualTo(48211L);
        assertThat(succeeded.getStatus().records.kept).isEqualTo(1100L);
        assertThat(succeeded.getStatus().records.dropped).containsEntry("duplicate", 30110L)
                .containsEntry("invalidOutput", 412L).doesNotContainKey("tooLong");
        assertThat(succeeded.getStatus().files.train).isEqualTo("curated/invoice/2026-12/train.jsonl");
        assertThat(succeeded.getStatus().files.manifest).isEqualTo("curated/invoice/2026-12/manifest.json");
        assertThat(succeeded.getStatus().taskClusters).singleElement().satisfies(cluster -> {
            assertThat(cluster.suggestedTask).isEqualTo("parsing");
            assertThat(cluster.share).isEqualTo(0.56);
            assertThat(cluster.tools).containsExactly("extract_invoice");
        });
        assertThat(succeeded.getStatus().completionTime).isNotBlank();
        eventually().until(() -> reasons(namespace).containsAll(List.of("SourceNotFound", "JobCreated", "Curating",
                "DataSetWritten")));

        // The Job's TTL runs out: a finished run never runs again.
        client.batch().v1().jobs().inNamespace(namespace).withName(JOB).delete();
        eventually().until(() -> job(namespace) == null);
        pause();
        assertThat(job(namespace)).isNull();
        assertThat(get(namespace).getStatus().phase).isEqualTo(Phase.Succeeded);
    }

    @Test
    void anEmptySelectionFailsWithTheCommandsOwnReason() throws IOException {
        String namespace = newNamespace(client, "norecords");
        client.resource(claim(namespace, "agent-usage")).create();
        client.resource(curationJob(namespace)).create();
        eventually().until(() -> job(namespace), j -> j != null);

        createTerminatedPod(client, job(namespace), JOB + "-q8w2z", CurationLayout.CONTAINER,
                CurationLayout.BAD_INPUT_EXIT_CODE, "{\"outcome\":\"Failed\",\"reason\":\"NoRecords\",\"message\":"
                + "\"no record matched the selection (agentRoute invoice-agent, tasks [parsing]) in 3 files\","
                + "\"records\":{\"read\":5120,\"kept\":0,\"dropped\":{\"notSelected\":5120}}}");
        markJobFinished(client, job(namespace), "Failed", "PodFailurePolicy",
                "Container curate for pod x failed with exit code 2");

        CurationJob failed = eventually().until(() -> get(namespace), c -> c.getStatus().phase == Phase.Failed);
        assertThat(condition(failed, CurationStatusLogic.FAILED).getReason()).isEqualTo("NoRecords");
        assertThat(condition(failed, CurationStatusLogic.FAILED).getMessage())
                .isEqualTo("no record matched the selection (agentRoute invoice-agent, tasks [parsing]) in 3 files");
        assertThat(failed.getStatus().records.dropped).containsEntry("notSelected", 5120L);
        assertThat(failed.getStatus().files).as("no data set to point at").isNull();
        eventually().until(() -> events(namespace).stream()
                .anyMatch(e -> "NoRecords".equals(e.getReason()) && "Warning".equals(e.getType())));
    }

    @Test
    void aFineTuneJobTrainsOnlyOnceItsDataSetIsWritten() throws IOException {
        String namespace = newNamespace(client, "curated");
        client.resource(claim(namespace, "agent-usage")).create();
        client.resource(claim(namespace, "adapters")).create();
        client.resource(secret(namespace, "hf-token", "HF_TOKEN")).create();
        client.resource(fineTuneJob(namespace)).create();

        FineTuneJob notFound = eventually().until(() -> fineTune(namespace), f -> fineTuneReason(f) != null);
        assertThat(fineTuneReason(notFound)).isEqualTo("DatasetNotFound");

        client.resource(curationJob(namespace)).create();
        FineTuneJob waiting = eventually().until(() -> fineTune(namespace), f -> "DatasetNotReady".equals(fineTuneReason(f)));
        assertThat(waiting.getStatus().phase).isEqualTo(FineTuneJobStatus.Phase.Pending);
        assertThat(trainingJob(namespace)).isNull();

        eventually().until(() -> job(namespace), j -> j != null);
        createTerminatedPod(client, job(namespace), JOB + "-q8w2z", CurationLayout.CONTAINER,
                0, SUCCEEDED_SUMMARY);
        markJobFinished(client, job(namespace), "Complete", "CompletionsReached",
                "Reached expected number of succeeded pods");

        Job training = eventually().until(() -> trainingJob(namespace), j -> j != null);
        var dataset = training.getSpec().getTemplate().getSpec().getContainers().get(0).getVolumeMounts().stream()
                .filter(mount -> mount.getName().equals("dataset")).findFirst().orElseThrow();
        assertThat(dataset.getSubPath()).isEqualTo("curated/invoice/2026-12");
        assertThat(dataset.getReadOnly()).isTrue();
        assertThat(fineTune(namespace).getSpec().dataset.volume).as("the user's spec is never written").isNull();
    }

    @Test
    void aFailedCurationHoldsTheFineTuneJobWithItsReason() throws IOException {
        String namespace = newNamespace(client, "curationfailed");
        client.resource(claim(namespace, "agent-usage")).create();
        client.resource(claim(namespace, "adapters")).create();
        client.resource(secret(namespace, "hf-token", "HF_TOKEN")).create();
        client.resource(curationJob(namespace)).create();
        client.resource(fineTuneJob(namespace)).create();
        eventually().until(() -> job(namespace), j -> j != null);

        createTerminatedPod(client, job(namespace), JOB + "-q8w2z", CurationLayout.CONTAINER,
                CurationLayout.BAD_INPUT_EXIT_CODE, "{\"outcome\":\"Failed\",\"reason\":\"TooFewRecords\","
                + "\"message\":\"kept 120 records, fewer than split.evalSize 200\"}");
        markJobFinished(client, job(namespace), "Failed", "PodFailurePolicy",
                "Container curate for pod x failed with exit code 2");

        FineTuneJob held = eventually().until(() -> fineTune(namespace), f -> "DatasetFailed".equals(fineTuneReason(f)));
        assertThat(Conditions.find(held.getStatus().conditions, "Ready").orElseThrow().getMessage())
                .startsWith("CurationJob cur-invoice-2026-12 failed (TooFewRecords): kept 120 records, fewer than split.evalSize 200");
        pause();
        assertThat(trainingJob(namespace)).isNull();
    }

    private static CurationJob curationJob(String namespace) throws IOException {
        CurationJob curation = CurationDesiredStateTest.load("invoice");
        curation.getMetadata().setNamespace(namespace);
        return curation;
    }

    private static FineTuneJob fineTuneJob(String namespace) throws IOException {
        FineTuneJob job = Manifests.ofKind(Manifests.parse(Files.readString(
                Path.of("src/test/resources/finetunejob/trl-curated.yaml"))), FineTuneJob.class).get(0);
        job.getMetadata().setNamespace(namespace);
        return job;
    }

    private Job job(String namespace) {
        return client.batch().v1().jobs().inNamespace(namespace).withName(JOB).get();
    }

    private Job trainingJob(String namespace) {
        return client.batch().v1().jobs().inNamespace(namespace).withName("ft-invoice-v3-1").get();
    }

    private CurationJob get(String namespace) {
        return client.resources(CurationJob.class).inNamespace(namespace).withName(CURATION).get();
    }

    private FineTuneJob fineTune(String namespace) {
        return client.resources(FineTuneJob.class).inNamespace(namespace).withName("ft-invoice-v3").get();
    }

    private static String reason(CurationJob curation) {
        return curation == null || curation.getStatus() == null ? null
                : Conditions.find(curation.getStatus().conditions, CurationStatusLogic.READY).map(Condition::getReason)
                        .orElse(null);
    }

    private static String fineTuneReason(FineTuneJob job) {
        return job == null || job.getStatus() == null ? null
                : Conditions.find(job.getStatus().conditions, "Ready").map(Condition::getReason).orElse(null);
    }

    private List<Event> events(String namespace) {
        return client.v1().events().inNamespace(namespace).list().getItems();
    }

    private List<String> reasons(String namespace) {
        return events(namespace).stream().map(Event::getReason).toList();
    }

    private static Condition condition(CurationJob curation, String type) {
        return Conditions.find(curation.getStatus().conditions, type).orElseThrow();
    }

}
