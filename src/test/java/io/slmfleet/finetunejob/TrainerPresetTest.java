package io.slmfleet.finetunejob;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.slmfleet.api.v1alpha1.FineTuneJob;
import io.slmfleet.api.v1alpha1.FineTuneJobSpec.Method;
import io.slmfleet.api.v1alpha1.TrainerSpec.Preset;

/** What each preset refuses to run, and why: the message is what the user reads in the Failed condition. */
class TrainerPresetTest {

    @Test
    void nemoHasNoQloraPath() throws IOException {
        FineTuneJob job = FineTuneDesiredStateTest.load("nemo-lora");
        job.getSpec().method = Method.qlora;

        assertThat(FineTuneChildren.unsupported(job, FineTuneDesiredStateTest.SETTINGS)).hasValueSatisfying(message -> assertThat(message)
                .contains("no 4-bit (QLoRA) path", "trl or torchtune"));
    }

    @Test
    void qloraIsRefusedOnTheDefaultTrlImageWhichHasNoBitsandbytes() throws IOException {
        FineTuneJob job = FineTuneDesiredStateTest.load("trl-qlora");
        job.getSpec().trainer.image = null;

        assertThat(FineTuneChildren.image(job, FineTuneDesiredStateTest.SETTINGS)).isEqualTo("huggingface/trl:1.8.0");
        assertThat(FineTuneChildren.unsupported(job, FineTuneDesiredStateTest.SETTINGS)).hasValueSatisfying(message -> assertThat(message)
                .contains("bitsandbytes", "huggingface/trl:1.8.0 does not ship", "trainer.image", "method lora"));
    }

    @Test
    void qloraOnAnotherTrlImageChecksForBitsandbytesBeforeTraining() throws IOException {
        FineTuneJob job = FineTuneDesiredStateTest.load("trl-qlora");

        assertThat(FineTuneChildren.unsupported(job, FineTuneDesiredStateTest.SETTINGS)).isEmpty();
        String script = new TrlPreset().trainingSteps(job);
        assertThat(script.indexOf("import bitsandbytes")).isNotNegative().isLessThan(script.indexOf("trl sft"));
    }

    @Test
    void torchtuneQloraRunsOnOneGpuOnly() throws IOException {
        FineTuneJob job = FineTuneDesiredStateTest.load("torchtune-qlora");
        job.getSpec().gpu.count = 2;

        assertThat(FineTuneChildren.unsupported(job, FineTuneDesiredStateTest.SETTINGS)).hasValueSatisfying(message -> assertThat(message)
                .contains("no multi-GPU QLoRA config", "gpu.count: 1"));
    }

    @Test
    void torchtuneAndNemoRefuseModuleNamesTheyCannotMap() throws IOException {
        for (String name : List.of("torchtune-lora", "nemo-lora")) {
            FineTuneJob job = FineTuneDesiredStateTest.load(name);
            job.getSpec().hyperparameters.targetModules = List.of("q_proj", "lm_head");

            assertThat(FineTuneChildren.unsupported(job, FineTuneDesiredStateTest.SETTINGS)).as(name).hasValueSatisfying(message -> assertThat(message)
                    .endsWith("not to lm_head"));
        }
    }

    @Test
    void builtInPresetsReadNoS3WeightsOrDatasets() throws IOException {
        FineTuneJob weights = FineTuneDesiredStateTest.load("trl-lora");
        weights.getSpec().baseModel.source.uri = "s3://models/llama";
        FineTuneJob dataset = FineTuneDesiredStateTest.load("trl-lora");
        dataset.getSpec().dataset.volume = null;
        dataset.getSpec().dataset.uri = "s3://agent-usage/train.jsonl";

        assertThat(FineTuneChildren.unsupported(weights, FineTuneDesiredStateTest.SETTINGS)).hasValueSatisfying(message -> assertThat(message)
                .contains("not from s3://models/llama", "custom preset"));
        assertThat(FineTuneChildren.unsupported(dataset, FineTuneDesiredStateTest.SETTINGS)).hasValueSatisfying(message -> assertThat(message)
                .contains("not from s3://agent-usage/train.jsonl"));
    }

    @Test
    void theCustomPresetRunsWhatTheBuiltInOnesCannot() throws IOException {
        FineTuneJob job = FineTuneDesiredStateTest.load("custom-lora");

        assertThat(job.getSpec().trainer.preset).isEqualTo(Preset.custom);
        assertThat(job.getSpec().baseModel.source.uri).startsWith("s3://");
        assertThat(FineTuneChildren.unsupported(job, FineTuneDesiredStateTest.SETTINGS)).isEmpty();
        assertThat(FineTuneChildren.image(job, FineTuneDesiredStateTest.SETTINGS)).isEqualTo(job.getSpec().trainer.image);
    }
}
