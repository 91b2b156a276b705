package io.slmfleet.router.shadow;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The part of a completion a comparison looks at: its first choice's text and tool calls.
 *
 * @param choices the completion's choices as received (a streamed answer's are assembled into one message)
 * @param content the message content, or a completion's text; "" when there is none
 */
public record Answer(JsonNode choices, String content, List<ToolCall> toolCalls) {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** @param arguments the arguments as the model wrote them: JSON text, or not */
    public record ToolCall(String name, String arguments) {
    }

    public Answer {
        toolCalls = List.copyOf(toolCalls);
    }

    /** @param choices a completion's choices, or null when it had none */
    public static Answer of(JsonNode choices) {
        JsonNode choice = choices == null ? MAPPER.missingNode() : choices.path(0);
        JsonNode message = choice.path("message");
        JsonNode text = choice.has("text") ? choice.get("text") : message.path("content");
        List<ToolCall> calls = new ArrayList<>();
        for (JsonNode call : message.path("tool_calls")) {
            JsonNode function = call.path("function");
            calls.add(new ToolCall(function.path("name").asText(""), function.path("arguments").asText("")));
        }
        return new Answer(choices == null ? MAPPER.createArrayNode() : choices, text.isTextual() ? text.asText() : "",
                calls);
    }

    /** Characters a comparison reads: the content and every tool call's name and arguments. */
    int textLength() {
        int length = content.length();
        for (ToolCall call : toolCalls) {
            length += call.name().length() + call.arguments().length();
        }
        return length;
    }

    /** The answer as a completion, the shape {@link io.slmfleet.router.table.OutputSchema#problemWith} reads. */
    JsonNode asCompletion() {
        ObjectNode completion = MAPPER.createObjectNode();
        completion.set("choices", choices);
        return completion;
    }
}
