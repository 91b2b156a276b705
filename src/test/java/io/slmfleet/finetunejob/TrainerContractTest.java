package io.slmfleet.finetunejob;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.slmfleet.api.v1alpha1.FineTuneJob;
import io.slmfleet.api.v1alpha1.HyperparametersSpec.TrainOn;

/**
 * What each preset relies on where it meets its trainer, pinned per preset with the upstream file and version, so that
 * bumping a preset's image re-opens the question. The data set is what curation writes: OpenAI chat messages with a
 * tool call (assistant content null, tool_calls, a tool message, the schemas in tools). The conversion program
 * ({@link TrainingData}) runs here with python3, as in the container.
 */
class TrainerContractTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One curated tool-calling conversation, as the router captures it and curation writes it. */
    static final String TOOL_CALLING = """
            {"messages": [{"role": "system", "content": "You file invoices."}, \
            {"role": "user", "content": "What is the total of INV-7?"}, \
            {"role": "assistant", "content": null, "tool_calls": [{"id": "call_1", "type": "function", \
            "function": {"name": "lookup_invoice", "arguments": "{\\"id\\": \\"INV-7\\"}"}}]}, \
            {"role": "tool", "tool_call_id": "call_1", "name": "lookup_invoice", "content": "{\\"total\\": 12.5}"}, \
            {"role": "assistant", "content": "The total of INV-7 is 12.50."}], \
            "tools": [{"type": "function", "function": {"name": "lookup_invoice", \
            "parameters": {"type": "object", "properties": {"id": {"type": "string"}}}}}]}""";

    @TempDir
    Path directory;

    /**
     * TRL 1.8.0: trl/trainer/sft_trainer.py (tokenize_fn: {@code tools = json.loads(tools) if isinstance(tools, str)});
     * docs/source/dataset_formats.md (tools as a JSON string, one Arrow schema for all rows); sft_config.py
     * ({@code assistant_only_loss}, {@code completion_only_loss}); docker/trl/Dockerfile (trl[liger,peft,vlm]: no
     * bitsandbytes, pyproject.toml's quantization extra).
     */
    @Nested
    class Trl {

        @Test
        void toolsBecomeAJsonStringAndToolCallsKeepOpenAisForm() throws Exception {
            JsonNode example = convert("trl", TOOL_CALLING).get(0);

            assertThat(example.get("tools").isTextual()).isTrue();
            assertThat(JSON.readTree(example.get("tools").asText()).get(0).at("/function/name").asText())
                    .isEqualTo("lookup_invoice");
            JsonNode call = example.at("/messages/2/tool_calls/0/function");
            assertThat(call.get("arguments").isTextual()).isTrue();
            assertThat(JSON.readTree(call.get("arguments").asText()).get("id").asText()).isEqualTo("INV-7");
            assertThat(example.at("/messages/2/content").isNull()).isTrue();
            assertThat(example.at("/messages/3/role").asText()).isEqualTo("tool");
        }

        @Test
        void theLossIsOnTheAssistantsTurnsUnlessAllIsAsked() throws IOException {
            FineTuneJob job = FineTuneDesiredStateTest.load("trl-lora");
            assertThat(new TrlPreset().trainingSteps(job)).contains("--assistant_only_loss");

            job.getSpec().hyperparameters.trainOn = TrainOn.all;
            assertThat(new TrlPreset().trainingSteps(job)).doesNotContain("--assistant_only_loss");

            FineTuneJob promptCompletion = FineTuneDesiredStateTest.load("trl-qlora");
            assertThat(new TrlPreset().trainingSteps(promptCompletion)).doesNotContain("only_loss");
            promptCompletion.getSpec().hyperparameters.trainOn = TrainOn.all;
            assertThat(new TrlPreset().trainingSteps(promptCompletion)).contains("--completion_only_loss False");
        }

        @Test
        void theDefaultImageLacksBitsandbytesSoQloraIsRefusedThere() throws IOException {
            FineTuneJob job = FineTuneDesiredStateTest.load("trl-qlora");
            job.getSpec().trainer.image = null;

            assertThat(FineTuneDesiredStateTest.SETTINGS.trlImage()).isIn(TrlPreset.IMAGES_WITHOUT_BITSANDBYTES);
            assertThat(FineTuneChildren.unsupported(job, FineTuneDesiredStateTest.SETTINGS)).isPresent();
        }
    }

    /**
     * torchtune 0.6.1: torchtune/data/_messages.py (Role: system, user, assistant, ipython; OpenAIToMessages reads
     * string or list content only, drops tool_calls and tools; validate_messages: system first only, an assistant turn
     * right after a user turn); torchtune/datasets/_chat.py (train_on_input False: all but the assistant masked).
     */
    @Nested
    class Torchtune {

        @Test
        void toolCallsAndResultsBecomeTextInTheTurnsTorchtuneKnows() throws Exception {
            JsonNode messages = convert("torchtune", TOOL_CALLING).get(0).get("messages");

            List<String> roles = new ArrayList<>();
            messages.forEach(message -> {
                roles.add(message.get("role").asText());
                assertThat(message.get("content").isTextual()).as("content of %s", message).isTrue();
                assertThat(message.has("tool_calls")).isFalse();
            });
            assertThat(roles).containsExactly("system", "user", "assistant", "user", "assistant");
            assertThat(messages.at("/0/content").asText()).contains("You file invoices.", "\"name\": \"lookup_invoice\"");
            assertThat(JSON.readTree(messages.at("/2/content").asText()).at("/arguments/id").asText()).isEqualTo("INV-7");
            assertThat(messages.at("/3/content").asText()).startsWith("Tool result (lookup_invoice):").contains("12.5");
        }

        @Test
        void aSecondSystemMessageIsRefusedWithItsLine() throws Exception {
            String second = "{\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}, {\"role\": \"system\", \"content\": "
                    + "\"be brief\"}, {\"role\": \"assistant\", \"content\": \"hello\"}]}";

            Run run = check("torchtune", TOOL_CALLING, TOOL_CALLING, second);

            assertThat(run.exitCode()).isNotZero();
            assertThat(run.output()).contains("train.jsonl line 3", "torchtune takes one system message, the first");
        }

        @Test
        void theLossIsOnTheAssistantsTurnsUnlessAllIsAsked() throws IOException {
            FineTuneJob job = FineTuneDesiredStateTest.load("torchtune-lora");
            assertThat(new TorchtunePreset().trainingSteps(job)).doesNotContain("train_on_input");

            job.getSpec().hyperparameters.trainOn = TrainOn.all;
            assertThat(new TorchtunePreset().trainingSteps(job)).contains("dataset.train_on_input=True");
        }
    }

    /**
     * NeMo 2.4.0: nemo/collections/llm/gpt/data/utils.py (_chat_preprocess: messages and tools to the Hugging Face chat
     * template; the loss mask only from generation marks); gpt/data/core.py (GPTSFTDataset answer_only_loss);
     * nemo/lightning/pytorch/callbacks/model_checkpoint.py and recipes/finetune_default.py (every_n_train_steps=50).
     */
    @Nested
    class Nemo {

        @Test
        void toolCallArgumentsBecomeObjectsForTheChatTemplate() throws Exception {
            JsonNode example = convert("nemo", TOOL_CALLING).get(0);

            assertThat(example.at("/messages/2/tool_calls/0/function/arguments/id").asText()).isEqualTo("INV-7");
            assertThat(example.get("tools").isArray()).isTrue();
        }

        @Test
        void theLossIsOnTheAssistantsTurnsThroughPromptCompletionPairs() throws IOException {
            String steps = new NemoPreset().trainingSteps(FineTuneDesiredStateTest.load("nemo-lora"));

            assertThat(steps).contains("apply_chat_template(messages[:k], tools=tools, add_generation_prompt=True",
                    "\"answer_only_loss\": train_on == \"assistant\"", "recipe.log.ckpt.every_n_train_steps = steps_per_epoch");
        }
    }

    @Test
    void everyPresetRefusesTheFirstLineItCouldNotReadWithItsNumber() throws Exception {
        String nullContent = "{\"messages\": [{\"role\": \"user\", \"content\": null}, {\"role\": \"assistant\", \"content\": \"x\"}]}";
        for (String trainer : List.of("trl", "torchtune", "nemo")) {
            Run run = check(trainer, TOOL_CALLING, "", TOOL_CALLING, nullContent, "not json");

            assertThat(run.exitCode()).as(trainer).isNotZero();
            assertThat(run.output()).as(trainer).contains("train.jsonl line 4: messages[0] has no content");
        }
    }

    private List<JsonNode> convert(String trainer, String... lines) throws Exception {
        Path dataset = Files.createDirectories(directory.resolve("dataset"));
        Files.write(dataset.resolve("train.jsonl"), List.of(lines));
        Run run = run("convert", trainer, dataset.toString());
        assertThat(run.exitCode()).as(run.output()).isZero();
        List<JsonNode> examples = new ArrayList<>();
        for (String line : Files.readAllLines(dataset.resolve("train.jsonl"))) {
            examples.add(JSON.readTree(line));
        }
        return examples;
    }

    private Run check(String trainer, String... lines) throws Exception {
        Path file = directory.resolve("train.jsonl");
        Files.write(file, List.of(lines));
        return run("check", trainer, file.toString());
    }

    private Run run(String mode, String trainer, String path) throws IOException, InterruptedException {
        Path program = directory.resolve("training_data.py");
        Files.writeString(program, TrainingData.PROGRAM);
        Process process = new ProcessBuilder("python3", program.toString(), mode, trainer, "chat", path)
                .redirectErrorStream(true).start();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new Run(process.exitValue(), new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    private record Run(int exitCode, String output) {
    }
}
