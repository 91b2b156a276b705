package io.slmfleet.router;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.vertx.core.buffer.Buffer;

/**
 * Reads a server-sent-events stream as it is relayed, without holding it back: picks up the usage event (sent when
 * the caller asked for stream_options.include_usage) and, for a sampled request, the generated text for the usage
 * record. Only complete lines are parsed; the text kept is bounded.
 */
final class StreamTap {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final int MAX_LINE = 1 << 20;
    private static final int MAX_TEXT = 1 << 20;
    private static final byte[] DATA = "data:".getBytes(StandardCharsets.US_ASCII);

    private final boolean keepText;
    private final StringBuilder text = new StringBuilder();
    private Buffer pending = Buffer.buffer();
    private JsonNode usage;
    private String finishReason;

    StreamTap(boolean keepText) {
        this.keepText = keepText;
    }

    void accept(Buffer chunk) {
        pending.appendBuffer(chunk);
        int lineStart = 0;
        for (int i = 0; i < pending.length(); i++) {
            if (pending.getByte(i) == '\n') {
                line(pending, lineStart, i);
                lineStart = i + 1;
            }
        }
        if (lineStart > 0) {
            pending = pending.getBuffer(lineStart, pending.length());
        }
        if (pending.length() > MAX_LINE) {
            pending = Buffer.buffer();
        }
    }

    private void line(Buffer buffer, int start, int end) {
        if (end - start <= DATA.length || !startsWithData(buffer, start)) {
            return;
        }
        String data = buffer.getString(start + DATA.length, end, "UTF-8").strip();
        if (data.isEmpty() || data.equals("[DONE]")) {
            return;
        }
        JsonNode event;
        try {
            event = MAPPER.readTree(data);
        } catch (IOException e) {
            return;
        }
        JsonNode eventUsage = event.get("usage");
        if (eventUsage != null && eventUsage.isObject()) {
            usage = eventUsage;
        }
        if (keepText) {
            for (JsonNode choice : event.path("choices")) {
                JsonNode piece = choice.has("delta") ? choice.path("delta").path("content") : choice.path("text");
                if (piece.isTextual() && text.length() < MAX_TEXT) {
                    text.append(piece.asText(), 0, Math.min(piece.asText().length(), MAX_TEXT - text.length()));
                }
                if (choice.path("finish_reason").isTextual()) {
                    finishReason = choice.path("finish_reason").asText();
                }
            }
        }
    }

    private static boolean startsWithData(Buffer buffer, int start) {
        for (int i = 0; i < DATA.length; i++) {
            if (buffer.getByte(start + i) != DATA[i]) {
                return false;
            }
        }
        return true;
    }

    /** @return the usage event's usage, or null when the stream had none */
    JsonNode usage() {
        return usage;
    }

    /** The streamed text as one choice, shaped like a non-streaming answer's choices. */
    ArrayNode choices() {
        ArrayNode choices = MAPPER.createArrayNode();
        ObjectNode choice = choices.addObject();
        choice.put("index", 0);
        choice.putObject("message").put("role", "assistant").put("content", text.toString());
        choice.put("finish_reason", finishReason);
        return choices;
    }
}
