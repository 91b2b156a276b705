package io.slmfleet.curation;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import java.util.zip.GZIPOutputStream;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Usage records shaped as the router writes them (docs/router.md), with one thing changed per test. */
final class UsageLines {

    static final ObjectMapper MAPPER = new ObjectMapper();

    private UsageLines() {
    }

    /** A teacher's (fallback) answer to an invoice question, task {@code parsing} of {@code agents/invoice-agent}. */
    static ObjectNode record(String userText) {
        ObjectNode record = MAPPER.createObjectNode();
        record.put("schemaVersion", 1);
        record.put("time", "2026-11-15T10:00:00Z");
        record.put("agentRoute", "agents/invoice-agent");
        record.put("task", "parsing");
        record.put("target", "fallback");
        record.put("fallbackReason", "error");
        record.put("status", 200);
        record.put("outcome", "ok");
        record.put("latencyMs", 812.5);
        record.putObject("usage").put("prompt_tokens", 40).put("completion_tokens", 10).put("total_tokens", 50);
        ArrayNode messages = record.putObject("request").putArray("messages");
        messages.addObject().put("role", "system").put("content", "You extract invoice fields as JSON.");
        messages.addObject().put("role", "user").put("content", userText);
        record.putObject("response").putArray("choices").addObject().put("index", 0).putObject("message")
                .put("role", "assistant").put("content", "{\"total\": 12}");
        return record;
    }

    static ObjectNode record(String userText, Consumer<ObjectNode> change) {
        ObjectNode record = record(userText);
        change.accept(record);
        return record;
    }

    /** Makes the answer a call of {@code tool} with these arguments, and offers the tool in the request. */
    static void toolCall(ObjectNode record, String tool, String arguments) {
        ObjectNode message = (ObjectNode) record.path("response").path("choices").path(0).path("message");
        message.putNull("content");
        ObjectNode call = message.putArray("tool_calls").addObject().put("id", "call_1").put("type", "function");
        call.putObject("function").put("name", tool).put("arguments", arguments);
        ((ObjectNode) record.get("request")).putArray("tools").addObject().put("type", "function")
                .putObject("function").put("name", tool).putObject("parameters").put("type", "object");
    }

    static Path write(Path file, List<?> lines) throws IOException {
        Files.createDirectories(file.getParent());
        Files.write(file, text(lines).getBytes(StandardCharsets.UTF_8));
        return file;
    }

    static Path writeGzip(Path file, List<?> lines) throws IOException {
        Files.createDirectories(file.getParent());
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write(text(lines).getBytes(StandardCharsets.UTF_8));
        }
        return file;
    }

    /** Records as JSON, strings as they are (for malformed lines). */
    private static String text(List<?> lines) {
        StringBuilder text = new StringBuilder();
        for (Object line : lines) {
            text.append(line instanceof ObjectNode node ? node.toString() : line).append('\n');
        }
        return text.toString();
    }
}
