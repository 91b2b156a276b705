package io.slmfleet.router.table;

import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion.VersionFlag;
import com.networknt.schema.SpecVersionDetector;
import com.networknt.schema.ValidationMessage;
import com.networknt.schema.AbsoluteIri;
import com.networknt.schema.resource.AllowSchemaLoader;

/**
 * A route's response schema: what the answer's content, or each tool call's arguments, must satisfy once parsed as
 * JSON. Schemas without {@code $schema} are read as draft 2020-12, and a schema must pass its meta-schema. Remote {@code $ref}s are not fetched: the router
 * must not reach out to arbitrary URLs named in a table (only the validator's bundled meta-schemas are loaded).
 */
public final class OutputSchema {

    /** Trailing text fails the parse: "12 apples" is not the number 12. */
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();

    private final JsonSchema schema;

    private OutputSchema(JsonSchema schema) {
        this.schema = schema;
    }

    /** @throws IllegalArgumentException when the document is not a usable JSON Schema */
    public static OutputSchema compile(Object document) {
        JsonNode node = MAPPER.valueToTree(document);
        if (!node.isObject() && !node.isBoolean()) {
            throw new IllegalArgumentException("response schema is neither an object nor a boolean");
        }
        VersionFlag version = node.isObject() && node.has("$schema")
                ? SpecVersionDetector.detect(node)
                : VersionFlag.V202012;
        JsonSchemaFactory factory = JsonSchemaFactory.getInstance(version, builder -> builder
                .schemaLoaders(loaders -> loaders.add(new AllowSchemaLoader(OutputSchema::isBundled))));
        Set<ValidationMessage> problems = factory.getSchema(SchemaLocation.of(version.getId())).validate(node);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("not a valid JSON Schema: " + problems.iterator().next().getMessage());
        }
        JsonSchema schema = factory.getSchema(node);
        schema.initializeValidators();
        return new OutputSchema(schema);
    }

    /** The standard meta-schemas, which the validator maps to copies in its jar; nothing else is loaded. */
    private static boolean isBundled(AbsoluteIri iri) {
        return iri.toString().startsWith("classpath:");
    }

    /**
     * @param completion a chat completion or completion response
     * @return null when every choice conforms, otherwise what is wrong with the first one that does not
     */
    public String problemWith(JsonNode completion) {
        JsonNode choices = completion.path("choices");
        if (!choices.isArray() || choices.isEmpty()) {
            return "the answer has no choices";
        }
        for (JsonNode choice : choices) {
            String problem = problemWithChoice(choice);
            if (problem != null) {
                return "choice " + choice.path("index").asInt() + ": " + problem;
            }
        }
        return null;
    }

    private String problemWithChoice(JsonNode choice) {
        if (choice.has("text")) {
            return problemWithText(choice.get("text"), "text");
        }
        JsonNode message = choice.path("message");
        JsonNode toolCalls = message.path("tool_calls");
        if (toolCalls.isArray() && !toolCalls.isEmpty()) {
            for (JsonNode call : toolCalls) {
                String problem = problemWithText(call.path("function").path("arguments"),
                        "tool call " + call.path("function").path("name").asText("?") + " arguments");
                if (problem != null) {
                    return problem;
                }
            }
            return null;
        }
        return problemWithText(message.path("content"), "content");
    }

    private String problemWithText(JsonNode text, String what) {
        if (!text.isTextual()) {
            return what + " is missing";
        }
        JsonNode value;
        try {
            value = MAPPER.readTree(text.asText());
        } catch (JsonProcessingException e) {
            return what + " is not JSON";
        }
        if (value == null || value.isMissingNode()) {
            return what + " is empty";
        }
        Set<ValidationMessage> errors = schema.validate(value);
        if (errors.isEmpty()) {
            return null;
        }
        return what + " does not match the schema: " + errors.iterator().next().getMessage();
    }
}
