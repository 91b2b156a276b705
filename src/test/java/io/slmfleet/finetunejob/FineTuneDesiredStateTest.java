package io.slmfleet.finetunejob;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.slmfleet.api.v1alpha1.CurationJob;
import io.slmfleet.api.v1alpha1.FineTuneJob;
import io.slmfleet.render.Manifests;
import io.slmfleet.testing.Golden;

/** Tier 1: the ConfigMap and first Job a FineTuneJob reconciles into, per preset and method, against golden YAML. */
class FineTuneDesiredStateTest {

    static final FineTuneSettings SETTINGS = new FineTuneSettings("huggingface/trl:1.8.0",
            "ghcr.io/slmfleet/trainer-torchtune:0.6.1", "nvcr.io/nvidia/nemo:25.07", "16Gi");

    @ParameterizedTest
    @ValueSource(strings = { "trl-lora", "trl-qlora", "torchtune-lora", "torchtune-qlora", "nemo-lora", "custom-lora",
            "custom-qlora" })
    void reconcilesIntoTheGoldenObjects(String name) throws IOException {
        FineTuneJob job = load(name);

        assertThat(FineTuneChildren.unsupported(job, SETTINGS)).as("the %s preset runs this spec", name).isEmpty();
        Golden.assertMatches(Manifests.toYaml(FineTuneChildren.firstAttempt(job, SETTINGS)), "finetunejob/" + name + ".golden.yaml");
    }

    @ParameterizedTest
    @ValueSource(strings = { "trl-lora", "trl-qlora", "torchtune-lora", "torchtune-qlora", "nemo-lora", "custom-lora",
            "custom-qlora" })
    void theWrapperScriptIsValidShell(String name) throws IOException, InterruptedException {
        Path script = Files.createTempFile("wrapper-" + name, ".sh");
        Files.writeString(script, TrainerScript.render(load(name)));

        Process check = new ProcessBuilder("sh", "-n", script.toString()).redirectErrorStream(true).start();
        assertThat(check.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(new String(check.getInputStream().readAllBytes())).isEmpty();
        assertThat(check.exitValue()).isZero();
    }

    @Test
    void aCuratedDatasetIsTheCurationJobsOutputDirectoryAlreadySplit() throws IOException, InterruptedException {
        FineTuneJob job = load("trl-curated");
        CurationJob curation = Manifests.ofKind(Manifests.parse(Files.readString(
                Path.of("src/test/resources/curationjob/invoice.yaml"))), CurationJob.class).get(0);
        FineTuneJob resolved = CuratedDataset.resolve(job, curation.getSpec().output.volume);

        assertThat(job.getSpec().dataset.volume).as("the user's spec is not changed").isNull();
        Golden.assertMatches(Manifests.toYaml(FineTuneChildren.firstAttempt(resolved, SETTINGS)), "finetunejob/trl-curated.golden.yaml");
        String script = TrainerScript.render(resolved);
        assertThat(script).contains("cp \"$DATASET/train.jsonl\"").doesNotContain("awk -v share");
        Path file = Files.createTempFile("wrapper-curated", ".sh");
        Files.writeString(file, script);
        Process check = new ProcessBuilder("sh", "-n", file.toString()).redirectErrorStream(true).start();
        assertThat(check.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(check.exitValue()).isZero();
    }

    @Test
    void aSecondAttemptDiffersOnlyInItsNameAndAttemptLabel() throws IOException {
        FineTuneJob job = load("trl-lora");
        Job first = FineTuneChildren.job(job, 1, SETTINGS);
        Job second = FineTuneChildren.job(job, 2, SETTINGS);

        assertThat(second.getMetadata().getName()).isEqualTo("ft-invoice-v3-2");
        assertThat(second.getMetadata().getLabels()).containsEntry(Layout.ATTEMPT_LABEL, "2");
        assertThat(second.getSpec().getTemplate().getMetadata().getLabels()).containsEntry(Layout.ATTEMPT_LABEL, "2");
        assertThat(second.getSpec().getTemplate().getSpec()).isEqualTo(first.getSpec().getTemplate().getSpec());
    }

    @Test
    void aLongNameIsCutToAValidJobNameThatStaysDistinct() throws IOException {
        FineTuneJob job = load("trl-lora");
        job.getMetadata().setName("a".repeat(70) + "-one");
        FineTuneJob sibling = load("trl-lora");
        sibling.getMetadata().setName("a".repeat(70) + "-two");

        String name = Layout.jobName(job, 12);
        assertThat(name).hasSizeLessThanOrEqualTo(63).endsWith("-12").matches("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$");
        assertThat(Layout.jobName(sibling, 12)).isNotEqualTo(name);
        assertThat(Layout.jobName(load("trl-lora"), 3)).isEqualTo("ft-invoice-v3-3");
    }

    @Test
    void theConfigurationNamesTheSecretButNeverHoldsAValue() throws IOException {
        String json = TrainingConfigMap.json(load("trl-lora"), "huggingface/trl:1.8.0");

        assertThat(json).contains("\"secretName\" : \"hf-token\"", "\"secretKey\" : \"HF_TOKEN\"", "\"env\" : \"HF_TOKEN\"");
        Job job = FineTuneChildren.job(load("trl-lora"), 1, SETTINGS);
        assertThat(job.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv())
                .filteredOn(env -> env.getName().equals("HF_TOKEN"))
                .singleElement()
                .satisfies(env -> {
                    assertThat(env.getValue()).isNull();
                    assertThat(env.getValueFrom().getSecretKeyRef().getName()).isEqualTo("hf-token");
                });
    }

    static FineTuneJob load(String name) throws IOException {
        return Manifests.ofKind(Manifests.parse(Files.readString(Path.of("src/test/resources/finetunejob/" + name + ".yaml"))),
                FineTuneJob.class).get(0);
    }
}
