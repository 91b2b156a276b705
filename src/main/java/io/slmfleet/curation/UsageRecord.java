package io.slmfleet.curation;

import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import io.slmfleet.pii.PiiRedactor;

/**
 * Turns one line of a router usage file (see docs/router.md, "Usage capture") into either a reason to drop it or a
 * {@link Candidate}: the chat example to write and the keys the sequential stage needs (duplicate hash, LSH bands,
 * stratum, task cluster). Pure and thread-safe: lines are examined in parallel, in any order.
 */
final class UsageRecord {

    static final int SCHEMA_VERSION = 1;
    static final String TEACHER_TARGET = "fallback";
    /** Characters per token when a record has no {@code usage.total_tokens}: the usual rule of thumb for English. */
    static final int CHARS_PER_TOKEN = 4;

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final int CACHED_REDACTIONS = 1024;
    private static final int CACHED_TEXT_CHARS = 4096;

    /**
     * System prompts, tool descriptions and schema words repeat in every record of a task: each worker thread keeps
     * its latest redactions, so the patterns run on them once, not once per record.
     */
    private static final ThreadLocal<Map<String, String>> RECENT_REDACTIONS = ThreadLocal.withInitial(
            () -> new LinkedHashMap<>(2 * CACHED_REDACTIONS, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
                    return size() > CACHED_REDACTIONS;
                }
            });

    /** What became of a line: {@code dropped} is null for a candidate; a candidate is null for most drops. */
    record Examined(DropReason dropped, Candidate candidate) {
    }

    /**
     * A record that passed every per-record check (or one dropped as not the teacher's, kept for the task clusters).
     *
     * @param userKey hash of the normalised user turns: duplicate detection and the split's ordering
     * @param bandKeys LSH band keys of the user turns, when near dedup is on
     * @param stratum the split's stratum: first tool name or task
     * @param cluster what groups the record into a task cluster
     * @param example the chat example as one JSON line (no newline); null for records dropped as not the teacher's
     */
    record Candidate(long userKey, long[] bandKeys, String stratum, ClusterKey cluster, byte[] example) {
    }

    /**
     * @param fingerprint hash of the normalised system prompt, the sorted tool names and the response format
     * @param task the record's task (null for unrouted requests)
     * @param tools the tool names the request offered, sorted
     * @param systemPrompt the system prompt, normalised (words for a suggested task name)
     * @param userText the first user turn, not yet redacted
     */
    record ClusterKey(long fingerprint, String task, List<String> tools, String systemPrompt, String userText) {
    }

    private final CurationOptions options;
    private final NearDuplicates nearDuplicates;

    UsageRecord(CurationOptions options, NearDuplicates nearDuplicates) {
        this.options = options;
        this.nearDuplicates = nearDuplicates;
    }

    Examined examine(byte[] line) {
        JsonNode record;
        try {
            record = MAPPER.readTree(line);
        } catch (IOException e) {
            return drop(DropReason.malformed);
        }
        if (record == null || !record.isObject()) {
            return drop(DropReason.malformed);
        }
        JsonNode version = record.get("schemaVersion");
        if (version != null && !(version.isIntegralNumber() && version.asInt() == SCHEMA_VERSION)) {
            return drop(DropReason.otherSchemaVersion);
        }
        JsonNode messages = record.path("request").get("messages");
        JsonNode answer = record.path("response").path("choices").path(0).get("message");
        if (messages == null && record.path("request").has("prompt")) {
            return drop(DropReason.notSelected);
        }
        if (messages == null || !messages.isArray() || answer == null || !answer.isObject()) {
            return drop(DropReason.malformed);
        }
        DropReason unselected = selection(record);
        if (unselected != null) {
            return drop(unselected);
        }
        String outcome = record.path("outcome").asText("ok");
        if (record.path("status").asInt() != 200 || !(outcome.equals("ok") || outcome.equals("invalid_output"))) {
            return drop(DropReason.error);
        }
        ObjectNode request = (ObjectNode) record.get("request");
        ClusterKey cluster = clusterKey(record, request, (ArrayNode) messages);
        boolean teacher = TEACHER_TARGET.equals(record.path("target").asText(null));
        if (options.labels() == CurationOptions.Labels.teacher && !teacher) {
            return new Examined(DropReason.notTeacher, new Candidate(0, null, null, cluster, null));
        }
        // labels accepted means "passed the route's checks": an invalid_output answer never is
        boolean invalid = outcome.equals("invalid_output")
                && (options.requireValidOutput() || options.labels() == CurationOptions.Labels.accepted);
        if (invalid || options.requireValidOutput() && !validOutput(request, answer)) {
            return drop(DropReason.invalidOutput);
        }
        String userText = userTurns((ArrayNode) messages);
        if (userText.length() < options.minChars()) {
            return drop(DropReason.tooShort);
        }
        if (tokens(record, (ArrayNode) messages, answer) > options.maxTokens()) {
            return drop(DropReason.tooLong);
        }
        String normalised = normalise(userText);
        long[] bandKeys = nearDuplicates == null ? null : nearDuplicates.bandKeys(normalised);
        String stratum = options.stratifyBy() == CurationOptions.StratifyBy.task
                ? record.path("task").asText("none")
                : answer.path("tool_calls").path(0).path("function").path("name").asText("none");
        return new Examined(null, new Candidate(Hashing.hash(normalised), bandKeys, stratum, cluster,
                example(request, (ArrayNode) messages, answer)));
    }

    private static Examined drop(DropReason reason) {
        return new Examined(reason, null);
    }

    private DropReason selection(JsonNode record) {
        String route = options.agentRoute();
        if (route != null) {
            String recorded = record.path("agentRoute").asText("");
            if (!recorded.equals(route) && !recorded.endsWith("/" + route)) {
                return DropReason.notSelected;
            }
        }
        if (!options.tasks().isEmpty()) {
            // unrouted requests are recorded with "task": null; Set.copyOf's contains(null) would throw
            String task = record.path("task").textValue();
            if (task == null || !options.tasks().contains(task)) {
                return DropReason.notSelected;
            }
        }
        if (options.since() != null || options.until() != null) {
            Instant time;
            try {
                time = Instant.parse(record.path("time").asText(""));
            } catch (DateTimeParseException e) {
                return DropReason.malformed;
            }
            if (options.since() != null && time.isBefore(options.since())
                    || options.until() != null && !time.isBefore(options.until())) {
                return DropReason.notSelected;
            }
        }
        return null;
    }

    /** Tool-call arguments must be JSON; content must be JSON when the request asked for a JSON response format. */
    private static boolean validOutput(JsonNode request, JsonNode answer) {
        for (JsonNode call : answer.path("tool_calls")) {
            if (!isJson(call.path("function").path("arguments").asText(null))) {
                return false;
            }
        }
        String format = request.path("response_format").path("type").asText("text");
        boolean wantsJson = format.equals("json_object") || format.equals("json_schema");
        return !wantsJson || answer.path("tool_calls").size() > 0 || isJson(answer.path("content").asText(null));
    }

    /** Exactly one JSON value (read as tokens, no tree is built). */
    private static boolean isJson(String text) {
        if (text == null || text.isBlank()) {
            return false;
        }
        try (JsonParser parser = MAPPER.getFactory().createParser(text)) {
            parser.nextToken();
            parser.skipChildren();
            return parser.nextToken() == null;
        } catch (IOException e) {
            return false;
        }
    }

    /** {@code usage.total_tokens} when the answer reported it, else every character of the exchange / 4, rounded up. */
    private static long tokens(JsonNode record, ArrayNode messages, JsonNode answer) {
        JsonNode total = record.path("usage").get("total_tokens");
        if (total != null && total.canConvertToLong()) {
            return total.asLong();
        }
        long chars = 0;
        for (JsonNode message : messages) {
            chars += text(message.get("content")).length();
        }
        chars += text(answer.get("content")).length();
        for (JsonNode call : answer.path("tool_calls")) {
            chars += call.path("function").path("arguments").asText("").length();
        }
        return (chars + CHARS_PER_TOKEN - 1) / CHARS_PER_TOKEN;
    }

    /** The chat example: the request's messages, the answer as the assistant's turn, and the tools offered. */
    private byte[] example(ObjectNode request, ArrayNode messages, JsonNode answer) {
        ObjectNode example = MAPPER.createObjectNode();
        ArrayNode turns = example.putArray("messages");
        turns.addAll(messages);
        ObjectNode reply = turns.addObject().put("role", "assistant");
        reply.set("content", answer.get("content") == null ? MAPPER.nullNode() : answer.get("content"));
        if (answer.path("tool_calls").size() > 0) {
            reply.set("tool_calls", answer.get("tool_calls"));
        }
        if (request.path("tools").size() > 0) {
            example.set("tools", request.get("tools"));
        }
        if (options.redactPii()) {
            redact(example, RECENT_REDACTIONS.get());
        }
        try {
            return MAPPER.writeValueAsBytes(example);
        } catch (IOException e) {
            throw new IllegalStateException("a parsed tree is always serializable", e);
        }
    }

    /** Like {@link PiiRedactor#redact(JsonNode)}, through the thread's cache of recent redactions. */
    private static void redact(JsonNode node, Map<String, String> recent) {
        if (node instanceof ObjectNode object) {
            Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                if (field.getValue().isTextual()) {
                    field.setValue(TextNode.valueOf(redact(field.getValue().asText(), recent)));
                } else {
                    redact(field.getValue(), recent);
                }
            }
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                if (array.get(i).isTextual()) {
                    array.set(i, TextNode.valueOf(redact(array.get(i).asText(), recent)));
                } else {
                    redact(array.get(i), recent);
                }
            }
        }
    }

    private static String redact(String text, Map<String, String> recent) {
        if (text.length() > CACHED_TEXT_CHARS) {
            return PiiRedactor.redact(text);
        }
        return recent.computeIfAbsent(text, PiiRedactor::redact);
    }

    private static ClusterKey clusterKey(JsonNode record, JsonNode request, ArrayNode messages) {
        StringBuilder system = new StringBuilder();
        String firstUser = null;
        for (JsonNode message : messages) {
            String role = message.path("role").asText("");
            if (role.equals("system") || role.equals("developer")) {
                system.append(text(message.get("content"))).append('\n');
            } else if (role.equals("user") && firstUser == null) {
                firstUser = text(message.get("content"));
            }
        }
        TreeSet<String> tools = new TreeSet<>();
        for (JsonNode tool : request.path("tools")) {
            tools.add(tool.path("function").path("name").asText(tool.path("name").asText("")));
        }
        JsonNode responseFormat = request.path("response_format");
        String format = responseFormat.path("type").asText("text");
        if (format.equals("json_schema")) {
            format += ":" + responseFormat.path("json_schema").path("name").asText("");
        }
        String systemPrompt = digitRunsAsZero(normalise(system.toString()));
        long fingerprint = Hashing.hash(systemPrompt + '\u0001' + String.join(",", tools) + '\u0001' + format);
        return new ClusterKey(fingerprint, record.path("task").asText(null), List.copyOf(tools), systemPrompt,
                firstUser == null ? "" : firstUser);
    }

    /** Every user turn's text, one turn a line. */
    private static String userTurns(ArrayNode messages) {
        StringBuilder text = new StringBuilder();
        for (JsonNode message : messages) {
            if (message.path("role").asText("").equals("user")) {
                if (!text.isEmpty()) {
                    text.append('\n');
                }
                text.append(text(message.get("content")));
            }
        }
        return text.toString();
    }

    /** A message's text: a string, or the text parts of an array of content parts. */
    static String text(JsonNode content) {
        if (content == null || content.isNull()) {
            return "";
        }
        if (content.isTextual()) {
            return content.asText();
        }
        List<String> parts = new ArrayList<>();
        for (JsonNode part : content) {
            if (part.has("text")) {
                parts.add(part.path("text").asText());
            }
        }
        return String.join("\n", parts);
    }

    private static String digitRunsAsZero(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean digit = c >= '0' && c <= '9';
            if (!digit || i == 0 || text.charAt(i - 1) < '0' || text.charAt(i - 1) > '9') {
                out.append(digit ? '0' : c);
            }
        }
        return out.toString();
    }

    /** Lower case, every run of whitespace one space, trimmed. */
    static String normalise(String text) {
        StringBuilder out = new StringBuilder(text.length());
        boolean space = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c)) {
                space = !out.isEmpty();
                continue;
            }
            if (space) {
                out.append(' ');
                space = false;
            }
            out.append(Character.toLowerCase(c));
        }
        return out.toString();
    }
}
