package io.slmfleet.finetunejob;

import static io.slmfleet.testing.OperatorTestSupport.edit;
import static io.slmfleet.testing.OperatorTestSupport.claim;
import static io.slmfleet.testing.OperatorTestSupport.createTerminatedPod;
import static io.slmfleet.testing.OperatorTestSupport.eventually;
import static io.slmfleet.testing.OperatorTestSupport.markJobFinished;
import static io.slmfleet.testing.OperatorTestSupport.markJobRunning;
import static io.slmfleet.testing.OperatorTestSupport.newNamespace;
import static io.slmfleet.testing.OperatorTestSupport.now;
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
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.slmfleet.api.v1alpha1.AdapterStatus;
import io.slmfleet.api.v1alpha1.FineTuneJob;
import io.slmfleet.api.v1alpha1.FineTuneJobStatus.Phase;
import io.slmfleet.api.v1alpha1.SLMSpecialist;
import io.slmfleet.common.Conditions;
import io.slmfleet.render.Manifests;
import io.slmfleet.testing.ApiRequestLog;
import io.slmfleet.testing.ServerSideApplyKubernetesServerTestResource;

/**
 * Tier 3: the reconciler against fabric8's mock API server. The mock runs no controllers, so the tests play the Job
 * controller (Job status, training pods with their termination message) and the user (creating inputs, deleting Jobs).
 */
@QuarkusTest
@WithTestResource(ServerSideApplyKubernetesServerTestResource.class)
class FineTuneJobReconcilerTest {

    private static final String JOB = "ft-invoice-v3";

    @Inject
    KubernetesClient client;

    @Test
    void trainsPublishesTheAdapterAndTheSpecialistServesIt() throws IOException {
        String namespace = newNamespace(client, "train");
        createInputs(namespace);
        FineTuneJob created = client.resource(fineTuneJob("trl-lora", namespace)).create();

        Job job = eventually().until(() -> job(namespace, JOB + "-1"), j -> j != null);
        assertThat(job.getMetadata().getOwnerReferences()).singleElement()
                .satisfies(owner -> assertThat(owner.getUid()).isEqualTo(created.getMetadata().getUid()));
        assertThat(job.getMetadata().getLabels()).containsEntry("kueue.x-k8s.io/queue-name", "gpu-training");
        assertThat(job.getSpec().getSuspend()).as("suspend is Kueue's").isNull();
        assertThat(job.getSpec().getPodFailurePolicy().getRules().get(0).getOnExitCodes().getValues()).containsExactly(2);
        ConfigMap config = client.configMaps().inNamespace(namespace).withName(JOB + "-config").get();
        assertThat(config.getData().get("finetune.json")).contains("\"adapterName\" : \"invoice-v3\"");

        FineTuneJob starting = eventually().until(() -> get(namespace, JOB),
                f -> f.getStatus() != null && f.getStatus().jobName != null);
        assertThat(starting.getStatus().phase).isEqualTo(Phase.Pending);
        assertThat(starting.getStatus().attempts).isEqualTo(1);
        assertThat(starting.getStatus().jobName).isEqualTo(JOB + "-1");
        assertThat(starting.getStatus().observedGeneration).isEqualTo(1L);
        assertThat(starting.getStatus().adapter.claimName).isEqualTo("adapters");
        assertThat(starting.getStatus().adapter.path).isEqualTo("invoice-v3");

        SLMSpecialist specialist = specialist(namespace);
        client.resource(specialist).create();
        eventually().until(() -> adapterState(namespace), state -> state == AdapterStatus.State.Pending);

        markJobRunning(client, job(namespace, JOB + "-1"));
        FineTuneJob running = eventually().until(() -> get(namespace, JOB), f -> phase(f) == Phase.Running);
        assertThat(running.getStatus().startTime).isNotBlank();

        createTerminatedPod(client, job(namespace, JOB + "-1"), JOB + "-1-x7k2p", Layout.CONTAINER, 0,
                "{\"trainLoss\":0.41,\"evalLoss\":0.47,\"epochsCompleted\":2}");
        markJobFinished(client, job(namespace, JOB + "-1"), "Complete", "CompletionsReached",
                "Reached expected number of succeeded pods");

        FineTuneJob succeeded = eventually().until(() -> get(namespace, JOB),
                f -> phase(f) == Phase.Succeeded && f.getStatus().metrics != null);
        assertThat(succeeded.getStatus().metrics.trainLoss).isEqualTo(0.41);
        assertThat(succeeded.getStatus().metrics.evalLoss).isEqualTo(0.47);
        assertThat(succeeded.getStatus().metrics.epochsCompleted).isEqualTo(2.0);
        assertThat(succeeded.getStatus().completionTime).isNotBlank();
        Condition ready = condition(succeeded, FineTuneStatusLogic.READY);
        assertThat(ready.getStatus()).isEqualTo(Conditions.TRUE);
        assertThat(ready.getReason()).isEqualTo("AdapterPublished");
        assertThat(ready.getObservedGeneration()).isEqualTo(1L);
        assertThat(condition(succeeded, FineTuneStatusLogic.COMPLETE).getStatus()).isEqualTo(Conditions.TRUE);
        assertThat(condition(succeeded, FineTuneStatusLogic.FAILED).getStatus()).isEqualTo(Conditions.FALSE);
        eventually().until(() -> reasons(namespace).containsAll(List.of("JobCreated", "Training", "AdapterPublished")));

        eventually().until(() -> adapterState(namespace), state -> state == AdapterStatus.State.Mounted);

        // The Job's TTL runs out: a finished run never runs again.
        client.batch().v1().jobs().inNamespace(namespace).withName(JOB + "-1").delete();
        eventually().until(() -> job(namespace, JOB + "-1") == null);
        pause();
        assertThat(job(namespace, JOB + "-2")).isNull();
        assertThat(get(namespace, JOB).getStatus().phase).isEqualTo(Phase.Succeeded);
    }

    @Test
    void aRunningRunMakesNoWritesWhenNothingChanged() throws IOException, InterruptedException {
        String namespace = newNamespace(client, "quiet");
        createInputs(namespace);
        client.resource(fineTuneJob("trl-lora", namespace)).create();
        eventually().until(() -> job(namespace, JOB + "-1"), j -> j != null);
        markJobRunning(client, job(namespace, JOB + "-1"));
        eventually().until(() -> phase(get(namespace, JOB)) == Phase.Running);
        Thread.sleep(1000); // let the last status patch and events settle

        ApiRequestLog requests = ServerSideApplyKubernetesServerTestResource.requests();
        int mark = requests.mark();
        // An unrelated change to the watched Job wakes the reconciler: it must find nothing to do.
        edit(client.batch().v1().jobs().inNamespace(namespace).withName(JOB + "-1"), j -> {
            j.getMetadata().getAnnotations().put("example.com/touched", "yes");
            return j;
        });
        Thread.sleep(3000);

        assertThat(requests.writesSince(mark, "/namespaces/" + namespace + "/"))
                .as("writes while running, besides the test's own edit")
                .hasSize(1);
    }

    @Test
    void aJobFailedByItsDeadlineFailsTheRun() throws IOException {
        String namespace = newNamespace(client, "deadline");
        createInputs(namespace);
        client.resource(fineTuneJob("trl-lora", namespace)).create();
        eventually().until(() -> job(namespace, JOB + "-1"), j -> j != null);
        markJobRunning(client, job(namespace, JOB + "-1"));
        eventually().until(() -> phase(get(namespace, JOB)) == Phase.Running);

        markJobFinished(client, job(namespace, JOB + "-1"), "Failed", "DeadlineExceeded",
                "Job was active longer than specified deadline");

        FineTuneJob failed = eventually().until(() -> get(namespace, JOB), f -> phase(f) == Phase.Failed);
        Condition failedCondition = condition(failed, FineTuneStatusLogic.FAILED);
        assertThat(failedCondition.getStatus()).isEqualTo(Conditions.TRUE);
        assertThat(failedCondition.getReason()).isEqualTo("DeadlineExceeded");
        assertThat(failedCondition.getMessage()).contains("Job was active longer than specified deadline");
        assertThat(failed.getStatus().completionTime).isNotBlank();
        eventually().until(() -> events(namespace).stream()
                .anyMatch(e -> "DeadlineExceeded".equals(e.getReason()) && "Warning".equals(e.getType())));
    }

    @Test
    void aPodTheApiServerRefusesIsToldFromTheJobControllersEvent() throws IOException {
        String namespace = newNamespace(client, "refused");
        createInputs(namespace);
        client.resource(fineTuneJob("trl-lora", namespace)).create();
        Job job = eventually().until(() -> job(namespace, JOB + "-1"), j -> j != null);
        eventually().until(() -> get(namespace, JOB).getStatus() != null);

        // what the Job controller records when the API server refuses the pod; nothing the operator watches changes
        client.resource(new EventBuilder()
                .withNewMetadata().withName(JOB + "-1.refused").withNamespace(namespace).endMetadata()
                .withNewInvolvedObject()
                    .withApiVersion("batch/v1").withKind("Job").withName(job.getMetadata().getName())
                    .withNamespace(namespace).withUid(job.getMetadata().getUid())
                .endInvolvedObject()
                .withType("Warning")
                .withReason("FailedCreate")
                .withMessage("Error creating: pods \"" + JOB + "-1-x7k2p\" is forbidden: pod rejected: "
                        + "RuntimeClass \"nvidia\" not found")
                .withLastTimestamp(now())
                .build()).create();

        FineTuneJob refused = eventually().until(() -> get(namespace, JOB),
                f -> "RuntimeClassNotFound".equals(condition(f, FineTuneStatusLogic.READY).getReason()));
        assertThat(refused.getStatus().phase).isEqualTo(Phase.Pending);
        assertThat(condition(refused, FineTuneStatusLogic.READY).getMessage()).isEqualTo("Job " + JOB + "-1 cannot create pods: "
                + "Error creating: pods \"" + JOB + "-1-x7k2p\" is forbidden: pod rejected: RuntimeClass \"nvidia\" not found"
                + " (attempt 1)");

        markJobRunning(client, job(namespace, JOB + "-1")); // the cause fixed, the Job controller's next try created the pod
        eventually().until(() -> phase(get(namespace, JOB)) == Phase.Running);
    }

    @Test
    void aConfigurationErrorFailsTheRunWithTheWrappersMessage() throws IOException {
        String namespace = newNamespace(client, "config-error");
        createInputs(namespace);
        client.resource(fineTuneJob("trl-lora", namespace)).create();
        eventually().until(() -> job(namespace, JOB + "-1"), j -> j != null);

        createTerminatedPod(client, job(namespace, JOB + "-1"), JOB + "-1-x7k2p", Layout.CONTAINER, 2,
                "configuration error: /output/invoice-v3 already exists: a published adapter is never overwritten");
        markJobFinished(client, job(namespace, JOB + "-1"), "Failed", "PodFailurePolicy",
                "Container trainer for pod x exited with code 2 matching FailJob rule at index 0");

        FineTuneJob failed = eventually().until(() -> get(namespace, JOB), f -> phase(f) == Phase.Failed);
        assertThat(condition(failed, FineTuneStatusLogic.FAILED).getReason()).isEqualTo("PodFailurePolicy");
        assertThat(condition(failed, FineTuneStatusLogic.FAILED).getMessage())
                .contains("trainer: configuration error: /output/invoice-v3 already exists");
    }

    @Test
    void aDataSetTheTrainerCannotReadFailsTheRunWithReasonDatasetIncompatibleAndTheLine() throws IOException {
        String namespace = newNamespace(client, "dataset-incompatible");
        createInputs(namespace);
        client.resource(fineTuneJob("trl-lora", namespace)).create();
        eventually().until(() -> job(namespace, JOB + "-1"), j -> j != null);

        createTerminatedPod(client, job(namespace, JOB + "-1"), JOB + "-1-q9r4t", Layout.CONTAINER, 2,
                "dataset incompatible: train.jsonl line 17: messages[1] has no content (only an assistant turn with "
                        + "tool_calls may have none)");
        markJobFinished(client, job(namespace, JOB + "-1"), "Failed", "PodFailurePolicy",
                "Container trainer for pod x exited with code 2 matching FailJob rule at index 0");

        FineTuneJob failed = eventually().until(() -> get(namespace, JOB), f -> phase(f) == Phase.Failed);
        assertThat(condition(failed, FineTuneStatusLogic.FAILED).getReason()).isEqualTo("DatasetIncompatible");
        assertThat(condition(failed, FineTuneStatusLogic.FAILED).getMessage()).contains("train.jsonl line 17");
    }

    @Test
    void aJobDeletedBeforeItFinishedIsRecreatedAsTheNextAttempt() throws IOException {
        String namespace = newNamespace(client, "recreate");
        createInputs(namespace);
        client.resource(fineTuneJob("trl-lora", namespace)).create();
        eventually().until(() -> job(namespace, JOB + "-1"), j -> j != null);
        markJobRunning(client, job(namespace, JOB + "-1"));
        eventually().until(() -> phase(get(namespace, JOB)) == Phase.Running);

        client.batch().v1().jobs().inNamespace(namespace).withName(JOB + "-1").delete();

        Job second = eventually().until(() -> job(namespace, JOB + "-2"), j -> j != null);
        assertThat(second.getMetadata().getLabels()).containsEntry(Layout.ATTEMPT_LABEL, "2");
        FineTuneJob recreated = eventually().until(() -> get(namespace, JOB), f -> Integer.valueOf(2).equals(f.getStatus().attempts));
        assertThat(recreated.getStatus().jobName).isEqualTo(JOB + "-2");
        assertThat(recreated.getStatus().phase).isEqualTo(Phase.Pending);
        assertThat(recreated.getStatus().startTime).as("the first attempt's start is kept").isNotBlank();
        eventually().until(() -> events(namespace).stream()
                .anyMatch(e -> "JobRecreated".equals(e.getReason()) && e.getMessage().contains(JOB + "-1")));

        markJobRunning(client, job(namespace, JOB + "-2"));
        eventually().until(() -> phase(get(namespace, JOB)) == Phase.Running);
    }

    @Test
    void noJobRunsWhileAnInputIsMissingAndItStartsWhenTheInputsAppear() throws IOException {
        String namespace = newNamespace(client, "inputs");
        client.resource(claim(namespace, "adapters")).create();
        client.resource(fineTuneJob("trl-lora", namespace)).create();

        FineTuneJob waiting = eventually().until(() -> get(namespace, JOB),
                f -> phase(f) == Phase.Pending);
        Condition ready = condition(waiting, FineTuneStatusLogic.READY);
        assertThat(ready.getReason()).isEqualTo("DatasetNotFound");
        assertThat(ready.getMessage()).isEqualTo("dataset claim agent-usage not found; "
                + "Secret hf-token (base model credentials) not found");
        assertThat(waiting.getStatus().attempts).isNull();
        eventually().until(() -> events(namespace).stream()
                .anyMatch(e -> "DatasetNotFound".equals(e.getReason()) && "Warning".equals(e.getType())));

        client.resource(claim(namespace, "agent-usage")).create();
        eventually().until(() -> condition(get(namespace, JOB), FineTuneStatusLogic.READY).getReason(), "SecretNotFound"::equals);
        assertThat(job(namespace, JOB + "-1")).isNull();

        client.resource(secret(namespace, "hf-token", "HF_TOKEN")).create();
        eventually().until(() -> job(namespace, JOB + "-1"), j -> j != null);
        eventually().until(() -> get(namespace, JOB).getStatus().attempts, Integer.valueOf(1)::equals);
    }

    @Test
    void anAdapterNamePublishedByAnotherRunIsRefused() throws IOException {
        String namespace = newNamespace(client, "taken");
        createInputs(namespace);
        client.resource(fineTuneJob("trl-lora", namespace)).create();
        eventually().until(() -> job(namespace, JOB + "-1"), j -> j != null);
        markJobFinished(client, job(namespace, JOB + "-1"), "Complete", "CompletionsReached", "done");
        eventually().until(() -> phase(get(namespace, JOB)) == Phase.Succeeded);

        FineTuneJob again = fineTuneJob("trl-lora", namespace);
        again.getMetadata().setName("ft-invoice-v3-again");
        client.resource(again).create();

        FineTuneJob refused = eventually().until(() -> get(namespace, "ft-invoice-v3-again"),
                f -> f.getStatus() != null && f.getStatus().phase != null);
        assertThat(refused.getStatus().phase).isEqualTo(Phase.Pending);
        Condition ready = condition(refused, FineTuneStatusLogic.READY);
        assertThat(ready.getReason()).isEqualTo("AdapterNameTaken");
        assertThat(ready.getMessage()).contains("belongs to FineTuneJob " + JOB);
        pause();
        assertThat(client.batch().v1().jobs().inNamespace(namespace).list().getItems())
                .extracting(j -> j.getMetadata().getName())
                .containsExactly(JOB + "-1");
    }

    @Test
    void aSpecThePresetCannotRunFailsWithoutAJob() throws IOException {
        String namespace = newNamespace(client, "unsupported");
        createInputs(namespace);
        FineTuneJob job = fineTuneJob("trl-lora", namespace);
        job.getSpec().trainer.preset = io.slmfleet.api.v1alpha1.TrainerSpec.Preset.torchtune;
        job.getSpec().baseModel.name = "mistralai/mistral-7b-instruct-v0.3";
        client.resource(job).create();

        FineTuneJob failed = eventually().until(() -> get(namespace, JOB),
                f -> phase(f) == Phase.Failed);
        assertThat(condition(failed, FineTuneStatusLogic.FAILED).getReason()).isEqualTo("UnsupportedByPreset");
        assertThat(condition(failed, FineTuneStatusLogic.FAILED).getMessage())
                .contains("not for mistralai/mistral-7b-instruct-v0.3", "use the trl preset");
        assertThat(client.batch().v1().jobs().inNamespace(namespace).list().getItems()).isEmpty();
    }

    /** The phase, or null before the first status write. */
    private static Phase phase(FineTuneJob job) {
        return job.getStatus() == null ? null : job.getStatus().phase;
    }

    private void createInputs(String namespace) {
        client.resource(secret(namespace, "hf-token", "HF_TOKEN")).create();
        client.resource(claim(namespace, "agent-usage")).create();
        client.resource(claim(namespace, "adapters")).create();
    }

    private SLMSpecialist specialist(String namespace) throws IOException {
        client.resource(secret(namespace, "ngc-api", "NGC_API_KEY")).create();
        client.resource(secret(namespace, "ngc-registry", ".dockerconfigjson")).create();
        SLMSpecialist specialist = Manifests.ofKind(Manifests.parse(
                Files.readString(Path.of("src/test/resources/slmspecialist/full.yaml"))), SLMSpecialist.class).get(0);
        specialist.getMetadata().setNamespace(namespace);
        specialist.getMetadata().setUid(null);
        specialist.getSpec().adapters.removeIf(adapter -> adapter.volume != null);
        return specialist;
    }

    private AdapterStatus.State adapterState(String namespace) {
        SLMSpecialist specialist = client.resources(SLMSpecialist.class).inNamespace(namespace).withName("invoice-parser").get();
        return specialist == null || specialist.getStatus() == null ? null : specialist.getStatus().adapters.stream()
                .filter(adapter -> adapter.name.equals("invoice-v3"))
                .map(adapter -> adapter.state)
                .findFirst()
                .orElse(null);
    }

    private static FineTuneJob fineTuneJob(String name, String namespace) throws IOException {
        FineTuneJob job = FineTuneDesiredStateTest.load(name);
        job.getMetadata().setNamespace(namespace);
        job.getMetadata().setUid(null);
        return job;
    }

    private Job job(String namespace, String name) {
        return client.batch().v1().jobs().inNamespace(namespace).withName(name).get();
    }

    private FineTuneJob get(String namespace, String name) {
        return client.resources(FineTuneJob.class).inNamespace(namespace).withName(name).get();
    }

    private List<Event> events(String namespace) {
        return client.v1().events().inNamespace(namespace).list().getItems();
    }

    private List<String> reasons(String namespace) {
        return events(namespace).stream().map(Event::getReason).toList();
    }

    private static Condition condition(FineTuneJob job, String type) {
        return Conditions.find(job.getStatus().conditions, type).orElseThrow();
    }

}
