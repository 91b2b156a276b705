package io.slmfleet.finetunejob;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.slmfleet.api.v1alpha1.FineTuneJob;

/**
 * Runs the real wrapper script with /bin/sh, its fixed container paths moved into a temporary directory and fake
 * trainers on the PATH: the publication contract (rename into place, never overwrite, exit codes, summary line) is
 * behaviour, so it is tested as such.
 */
class TrainerScriptTest {

    @TempDir
    Path root;

    Path output;
    Path terminationLog;

    @BeforeEach
    void layOutTheContainer() throws IOException {
        output = Files.createDirectories(root.resolve("output"));
        terminationLog = root.resolve("termination-log");
        Files.createDirectories(root.resolve("etc"));
        Files.writeString(root.resolve("etc/finetune.json"), "{\"recorded\": true}\n");
        Files.createDirectories(root.resolve("bin"));
    }

    @Test
    void aSuccessfulTrainerIsPublishedByRenameWithItsSummary() throws Exception {
        FineTuneJob job = custom("""
                echo '{"r": 16}' > "$SLMFLEET_ADAPTER_DIR/adapter_config.json"
                echo weights > "$SLMFLEET_ADAPTER_DIR/adapter_model.safetensors"
                printf '{"trainLoss": 0.41,\\n "epochsCompleted": 2}\\n' > "$SLMFLEET_SUMMARY"
                """);

        Result result = run(job);

        assertThat(result.exitCode()).as(result.log()).isZero();
        Path adapter = output.resolve("custom-v1");
        assertThat(adapter.resolve("adapter_config.json")).hasContent("{\"r\": 16}");
        assertThat(adapter.resolve("adapter_model.safetensors")).hasContent("weights");
        assertThat(adapter.resolve("slmfleet-finetune.json")).hasContent("{\"recorded\": true}");
        assertThat(terminationLog).hasContent("{\"trainLoss\": 0.41, \"epochsCompleted\": 2}");
        assertThat(Files.readString(terminationLog)).doesNotContain("\n");
        assertThat(listing(output)).containsExactly("custom-v1");
    }

    @Test
    void anExistingAdapterIsNeverOverwritten() throws Exception {
        Path existing = Files.createDirectories(output.resolve("custom-v1"));
        Files.writeString(existing.resolve("adapter_model.safetensors"), "published before");
        FineTuneJob job = custom("echo trained > \"$SLMFLEET_ADAPTER_DIR/adapter_model.safetensors\"");

        Result result = run(job);

        assertThat(result.exitCode()).isEqualTo(Layout.CONFIGURATION_ERROR_EXIT_CODE);
        assertThat(Files.readString(terminationLog)).startsWith("configuration error: ").contains("already exists");
        assertThat(existing.resolve("adapter_model.safetensors")).hasContent("published before");
        assertThat(listing(output)).containsExactly("custom-v1");
    }

    @Test
    void aTrainerThatWroteNoWeightsFailsAndPublishesNothing() throws Exception {
        FineTuneJob job = custom("echo '{}' > \"$SLMFLEET_ADAPTER_DIR/adapter_config.json\"");

        Result result = run(job);

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.log()).contains("training ended without adapter_model.safetensors");
        assertThat(listing(output)).as("the temporary directory is removed").isEmpty();
    }

    @Test
    void aFailingTrainerKeepsItsExitCodeAndLeavesNoTemporaryDirectory() throws Exception {
        Result result = run(custom("echo half > \"$SLMFLEET_ADAPTER_DIR/adapter_model.safetensors\"; exit 3"));

        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(listing(output)).isEmpty();
    }

    @Test
    void leftoversOfEarlierAttemptsAreRemovedButNotThoseOfOtherAdapters() throws Exception {
        Path ownLeftover = Files.createDirectories(output.resolve(".tmp-custom-v1-" + UUID.randomUUID() + "/run"));
        Path otherAdapters = Files.createDirectories(output.resolve(".tmp-custom-v1-beta-" + UUID.randomUUID()));
        FineTuneJob job = custom("""
                echo '{}' > "$SLMFLEET_ADAPTER_DIR/adapter_config.json"
                echo weights > "$SLMFLEET_ADAPTER_DIR/adapter_model.safetensors"
                """);

        Result result = run(job);

        assertThat(result.exitCode()).as(result.log()).isZero();
        assertThat(ownLeftover.getParent()).doesNotExist();
        assertThat(otherAdapters).exists();
        assertThat(terminationLog).hasContent("{}");
    }

    @Test
    void theTrlPresetSplitsTheDatasetRunsTrlSftAndSummarizesItsTrainerState() throws Exception {
        // The dataset file as the claim's subPath mount shows it; ten examples, every tenth held out.
        Path data = Files.createDirectories(root.resolve("data"));
        Files.write(data.resolve("train.jsonl"), Stream.iterate(1, i -> i + 1).limit(10)
                .map(i -> "{\"messages\": [{\"role\": \"user\", \"content\": \"" + i + "\"}]}").toList());
        // A stand-in for TRL: it records its arguments and leaves what trl sft leaves in --output_dir.
        writeExecutable(root.resolve("bin/trl"), """
                #!/bin/sh
                echo "$@" > "$SCRATCH/trl-arguments"
                while [ "$#" -gt 0 ]; do [ "$1" = --output_dir ] && out="$2"; shift; done
                echo '{"r": 16}' > "$out/adapter_config.json"
                echo weights > "$out/adapter_model.safetensors"
                mkdir -p "$out/checkpoint-2" "$out/checkpoint-10"
                echo '{"epoch": 1.0, "log_history": [{"loss": 0.9}]}' > "$out/checkpoint-2/trainer_state.json"
                echo '{"epoch": 2.0, "log_history": [{"loss": 0.7}, {"eval_loss": 0.52}, {"loss": 0.41}]}' \\
                  > "$out/checkpoint-10/trainer_state.json"
                """);
        FineTuneJob job = FineTuneDesiredStateTest.load("trl-lora");

        Result result = run(job);

        assertThat(result.exitCode()).as(result.log()).isZero();
        Path scratch = root.resolve("scratch");
        assertThat(Files.readAllLines(scratch.resolve("dataset/train.jsonl"))).hasSize(9);
        assertThat(Files.readAllLines(scratch.resolve("dataset/validation.jsonl"))).singleElement().asString().contains("\"10\"");
        assertThat(Files.readString(scratch.resolve("trl-arguments")))
                .contains("sft --model_name_or_path meta-llama/Llama-3.2-1B-Instruct", "--lora_target_modules q_proj v_proj",
                        "--dataset_test_split validation --eval_strategy epoch");
        assertThat(terminationLog).hasContent("{\"trainLoss\": 0.41, \"evalLoss\": 0.52, \"epochsCompleted\": 2.0}");
        assertThat(output.resolve("invoice-v3/adapter_model.safetensors")).hasContent("weights");
    }

    private FineTuneJob custom(String trainer) throws IOException {
        FineTuneJob job = FineTuneDesiredStateTest.load("custom-lora");
        job.getSpec().trainer.command = List.of("/bin/sh", "-c", trainer);
        job.getSpec().trainer.args = List.of();
        return job;
    }

    /** The wrapper with the container's fixed paths moved under the test's directory; nothing else changed. */
    private Result run(FineTuneJob job) throws IOException, InterruptedException {
        String script = TrainerScript.render(job)
                .replace("CONFIG=" + Layout.CONFIG_FILE + "\n", "CONFIG=" + root.resolve("etc/finetune.json") + "\n")
                .replace("OUTPUT=" + Layout.OUTPUT_DIR + "\n", "OUTPUT=" + output + "\n")
                .replace("SCRATCH=" + Layout.SCRATCH_DIR + "\n", "SCRATCH=" + root.resolve("scratch") + "\n")
                .replace("TERMINATION_LOG=" + Layout.TERMINATION_LOG + "\n", "TERMINATION_LOG=" + terminationLog + "\n")
                .replace("DATASET='" + Layout.DATA_DIR + "/", "DATASET='" + root.resolve("data") + "/");
        ProcessBuilder builder = new ProcessBuilder("/bin/sh", "-c", script).directory(root.toFile()).redirectErrorStream(true);
        builder.environment().put("POD_UID", UUID.randomUUID().toString());
        builder.environment().put("HOME", root.resolve("scratch/home").toString());
        builder.environment().put("PATH", root.resolve("bin") + ":" + System.getenv("PATH"));
        Process process = builder.start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("the wrapper finished").isTrue();
        return new Result(process.exitValue(), new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    private static void writeExecutable(Path file, String content) throws IOException {
        Files.writeString(file, content);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private static List<String> listing(Path directory) throws IOException {
        try (Stream<Path> entries = Files.list(directory)) {
            return entries.map(path -> path.getFileName().toString()).sorted().toList();
        }
    }

    private record Result(int exitCode, String log) {
    }
}
