package io.slmfleet.evaluation;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;

import io.slmfleet.router.shadow.Answer;

/**
 * The examples of a chat-format data set (what curation writes as {@code eval.jsonl}): per line
 * {@code {"messages": [..., {"role": "assistant", ...}], "tools": [...]}}. The last message, an assistant's, is the
 * reference answer; the messages before it are what a candidate is asked. Lines that cannot be used are skipped and
 * counted by reason, never guessed at.
 *
 * @param examples the usable examples, in file order
 * @param skipped skipped lines by reason ({@link #MALFORMED}, {@link #NO_REFERENCE}), with their line numbers
 * @param lines non-blank lines read (up to the last one needed for --max-examples)
 */
record EvalDataset(List<Example> examples, Map<String, List<Integer>> skipped, long lines) {

    /** Not JSON, not an object, or no {@code messages} array of objects. */
    static final String MALFORMED = "malformed";
    /** The last message is not an assistant's, or nothing comes before it to ask. */
    static final String NO_REFERENCE = "noReference";

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /**
     * @param line the example's line number in the data set, from 1
     * @param prompt the messages sent to a candidate
     * @param tools the tools the example offers, or null
     * @param model the example's {@code model}, or null
     * @param reference the recorded answer, as the router's comparison reads an answer
     */
    record Example(int line, ArrayNode prompt, JsonNode tools, String model, Answer reference) {
    }

    long skippedCount() {
        return skipped.values().stream().mapToLong(List::size).sum();
    }

    /** @param maxExamples stop after this many usable examples; 0: read everything */
    static EvalDataset read(Path path, int maxExamples) throws IOException {
        List<Example> examples = new ArrayList<>();
        Map<String, List<Integer>> skipped = new TreeMap<>();
        long lines = 0;
        try (BufferedReader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            int number = 0;
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                lines++;
                String problem = null;
                Example example = null;
                try {
                    example = example(number, MAPPER.readTree(line));
                    if (example == null) {
                        problem = NO_REFERENCE;
                    }
                } catch (JsonProcessingException | IllegalArgumentException e) {
                    problem = MALFORMED;
                }
                if (problem != null) {
                    skipped.computeIfAbsent(problem, reason -> new ArrayList<>()).add(number);
                    continue;
                }
                examples.add(example);
                if (maxExamples > 0 && examples.size() == maxExamples) {
                    break;
                }
            }
        }
        return new EvalDataset(List.copyOf(examples), skipped, lines);
    }

    /** @return the example, or null when it has no reference answer; @throws IllegalArgumentException when malformed */
    private static Example example(int line, JsonNode node) {
        if (node == null || !node.isObject() || !node.path("messages").isArray()) {
            throw new IllegalArgumentException("no messages array");
        }
        JsonNode messages = node.get("messages");
        for (JsonNode message : messages) {
            if (!message.isObject()) {
                throw new IllegalArgumentException("a message is not an object");
            }
        }
        int last = messages.size() - 1;
        if (last < 1 || !"assistant".equals(messages.get(last).path("role").asText())) {
            return null;
        }
        ArrayNode prompt = MAPPER.createArrayNode();
        for (int i = 0; i < last; i++) {
            prompt.add(messages.get(i));
        }
        ArrayNode choices = MAPPER.createArrayNode();
        choices.addObject().put("index", 0).put("finish_reason", "stop").set("message", messages.get(last));
        JsonNode tools = node.path("tools").isArray() && !node.get("tools").isEmpty() ? node.get("tools") : null;
        String model = node.path("model").isTextual() ? node.get("model").asText() : null;
        return new Example(line, prompt, tools, model, Answer.of(choices));
    }
}
