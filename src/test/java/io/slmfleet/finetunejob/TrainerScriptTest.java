package io.slmfleet.finetunejob;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
                .map(TrainerScriptTest::exchange).toList());
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

    /**
     * NeMo 2.4.0 as far as its checkpoints go: Lightning 2.4.0's ModelCheckpoint saves (top-k and "-last") in
     * on_train_batch_end when {@code global_step % every_n_train_steps == 0}; NeMo's on_train_end
     * (nemo/lightning/pytorch/callbacks/model_checkpoint.py, v2.4.0) adds a last save only when the final step is not
     * a multiple of val_check_interval. The recipe's default (finetune_default.py: every_n_train_steps=50,
     * save_last="link") is what the fake recipe returns. Saves at validation time are left out: they depend on
     * NeMo's data loader epochs, which this fake does not model, and the preset must not rely on them.
     */
    private static final String FAKE_NEMO_RUN = """
            import json, os
            from pathlib import Path

            class Config:
                def __init__(self, target, **kwargs):
                    self.target = target
                    self.__dict__.update(kwargs)

            class LocalExecutor:
                def __init__(self, **kwargs):
                    self.kwargs = kwargs

            def run(recipe, executor=None, name=None):
                every_n, steps = recipe.log.ckpt.every_n_train_steps, recipe.trainer.max_steps
                saved = [step for step in range(1, steps + 1) if every_n and step % every_n == 0]
                if steps % recipe.trainer.val_check_interval != 0:
                    saved.append(steps)
                if os.environ.get("FAKE_NEMO_LAST_STEP"):
                    saved = [int(os.environ["FAKE_NEMO_LAST_STEP"])]
                if saved:
                    last = Path(recipe.dir) / "slmfleet" / "2026-12-03_10-00-00" / "checkpoints" / (
                        "slmfleet--val_loss=0.50-step=%d-consumed_samples=%d.0-last" % (saved[-1], saved[-1] * 16))
                    last.mkdir(parents=True)
                with open(os.path.join(os.environ["SCRATCH"], "nemo-run.json"), "w") as f:
                    json.dump({"max_steps": steps, "every_n_train_steps": every_n, "saved": saved}, f)
            """;

    private static final String FAKE_NEMO_LLM = """
            import os
            from types import SimpleNamespace as NS

            def import_ckpt(model, source, output_path):
                os.makedirs(output_path, exist_ok=True)

            class LlamaModel:
                def __init__(self, config):
                    self.config = config

            class Llama32Config3B:
                pass

            class ChatDataModule:
                pass

            class FineTuningDataModule:
                pass

            def finetune_recipe(dir, **kwargs):
                return NS(dir=dir, resume=NS(restore_config=NS(path=None)),
                          peft=NS(dim=None, alpha=None, dropout=None, target_modules=None),
                          optim=NS(config=NS(lr=None), lr_scheduler=NS(max_steps=None, warmup_steps=None)),
                          trainer=NS(max_steps=1000, val_check_interval=30),
                          log=NS(ckpt=NS(every_n_train_steps=50, save_last="link", save_top_k=2)), data=None)

            llama32_3b = NS(finetune_recipe=finetune_recipe)

            def export_lora(lora_checkpoint_path, output_path):
                os.makedirs(output_path)
                with open(os.path.join(output_path, "adapter_config.json"), "w") as f:
                    f.write('{"from": "%s"}' % os.path.basename(lora_checkpoint_path))
                with open(os.path.join(output_path, "adapter_model.safetensors"), "w") as f:
                    f.write("weights")

            peft = NS(export_lora=export_lora)
            """;

    /** A chat template that renders each turn as {@code <|role|>content}, as Hugging Face's extend a conversation. */
    private static final String FAKE_TRANSFORMERS = """
            class _Tokenizer:
                def apply_chat_template(self, messages, tools=None, add_generation_prompt=False, tokenize=False):
                    rendered = "".join("<|%s|>%s" % (m["role"], m["content"]) for m in messages)
                    return rendered + ("<|assistant|>" if add_generation_prompt else "")

            class AutoTokenizer:
                @staticmethod
                def from_pretrained(name):
                    return _Tokenizer()
            """;

    private static final String FAKE_EVENT_ACCUMULATOR = """
            class EventAccumulator:
                def __init__(self, path):
                    self.path = path
                def Reload(self):
                    pass
                def Tags(self):
                    return {"scalars": []}
            """;

    /** 130 examples, 13 held out: 117 / (8 per GPU x 2 GPUs) = 8 steps an epoch, 16 in all for 2 epochs. */
    private Map<String, String> fakeNemo() throws IOException {
        Path config = root.resolve("etc/nemo-finetune.json");
        Files.writeString(config, TrainingConfigMap.json(FineTuneDesiredStateTest.load("nemo-lora"), "nvcr.io/nvidia/nemo:25.07"));
        Path data = Files.createDirectories(root.resolve("data"));
        Files.write(data.resolve("all.jsonl"), Stream.iterate(1, i -> i + 1).limit(130)
                .map(TrainerScriptTest::exchange).toList());
        Path python = Files.createDirectories(root.resolve("python"));
        Files.createDirectories(python.resolve("nemo/collections/llm"));
        Files.writeString(python.resolve("nemo/__init__.py"), "");
        Files.writeString(python.resolve("nemo/collections/__init__.py"), "");
        Files.writeString(python.resolve("nemo/collections/llm/__init__.py"), FAKE_NEMO_LLM);
        Files.createDirectories(python.resolve("nemo_run"));
        Files.writeString(python.resolve("nemo_run/__init__.py"), FAKE_NEMO_RUN);
        Path accumulator = Files.createDirectories(python.resolve("tensorboard/backend/event_processing"));
        for (Path dir : List.of(python.resolve("tensorboard"), python.resolve("tensorboard/backend"), accumulator)) {
            Files.writeString(dir.resolve("__init__.py"), "");
        }
        Files.writeString(accumulator.resolve("event_accumulator.py"), FAKE_EVENT_ACCUMULATOR);
        Files.writeString(python.resolve("transformers.py"), FAKE_TRANSFORMERS);
        return Map.of("PYTHONPATH", python.toString(), "SLMFLEET_CONFIG", config.toString());
    }

    @Test
    void theNemoPresetPublishesTheAdapterOfTheFinalStep() throws Exception {
        Result result = run(FineTuneDesiredStateTest.load("nemo-lora"), fakeNemo());

        assertThat(result.exitCode()).as(result.log()).isZero();
        assertThat(Files.readString(root.resolve("scratch/nemo-run.json"))).contains("\"max_steps\": 16");
        assertThat(output.resolve("classify-nemo/adapter_config.json")).content().contains("-step=16-");
        // the loss rule: each assistant turn a completion after its conversation, which NeMo alone trains on
        assertThat(Files.readAllLines(root.resolve("scratch/dataset/training.jsonl"))).first().asString()
                .isEqualTo("{\"prompt\": \"<|user|>1<|assistant|>\", \"completion\": \"a1\"}");
    }

    @Test
    void theNemoPresetPublishesNothingWhenNemosLastCheckpointIsOfAnEarlierStep() throws Exception {
        Map<String, String> env = new HashMap<>(fakeNemo());
        env.put("FAKE_NEMO_LAST_STEP", "8");

        Result result = run(FineTuneDesiredStateTest.load("nemo-lora"), env);

        assertThat(result.exitCode()).as(result.log()).isNotZero().isNotEqualTo(2);
        assertThat(result.log()).contains("is not of the final step 16");
        assertThat(listing(output)).isEmpty();
    }

    /** A user turn and its answer, as curation writes them. */
    private static String exchange(int i) {
        return "{\"messages\": [{\"role\": \"user\", \"content\": \"" + i + "\"}, {\"role\": \"assistant\", \"content\": \"a" + i + "\"}]}";
    }

    private FineTuneJob custom(String trainer) throws IOException {
        FineTuneJob job = FineTuneDesiredStateTest.load("custom-lora");
        job.getSpec().trainer.command = List.of("/bin/sh", "-c", trainer);
        job.getSpec().trainer.args = List.of();
        return job;
    }

    /** The wrapper with the container's fixed paths moved under the test's directory; nothing else changed. */
    private Result run(FineTuneJob job) throws IOException, InterruptedException {
        return run(job, Map.of());
    }

    private Result run(FineTuneJob job, Map<String, String> environment) throws IOException, InterruptedException {
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
        builder.environment().putAll(environment);
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
