package io.slmfleet.schema;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonNodePath;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

/**
 * The API server's OpenAPI schema validation (kube-openapi's validator) done with networknt's JSON Schema validator:
 * a structural schema is an OpenAPI 3.0 schema, which reads as JSON Schema draft 4 (boolean exclusiveMinimum and
 * exclusiveMaximum) once the Kubernetes extensions are translated: x-kubernetes-int-or-string becomes the type
 * union [integer, string], nullable adds "null" to the type, the other x-kubernetes-* keys (validated elsewhere) and
 * format are dropped. Errors are reported with kube-openapi's wording, converted to field errors as
 * apiextensions-apiserver does.
 */
final class OpenApiValidation {

    private static final JsonSchemaFactory DRAFT_4 = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4);
    private static final SchemaValidatorsConfig CONFIG = SchemaValidatorsConfig.builder()
            .pathType(PathType.JSON_POINTER)
            .formatAssertionsEnabled(false)
            // kube-openapi accepts a float with an integral value (1.0) where an integer is declared
            .losslessNarrowing(true)
            .build();

    private final JsonNode structural;
    private final JsonSchema jsonSchema;

    OpenApiValidation(JsonNode structuralSchema) {
        this.structural = structuralSchema;
        this.jsonSchema = DRAFT_4.getSchema(toJsonSchema(structuralSchema), CONFIG);
    }

    /** Errors for {@code value}; {@code path} is where it sits in the resource ("" at the root). */
    List<FieldError> validate(JsonNode value, String path) {
        Set<ValidationMessage> messages = jsonSchema.validate(value);
        List<FieldError> errors = new ArrayList<>();
        for (ValidationMessage message : messages) {
            errors.add(toFieldError(message, path));
        }
        errors.sort(Comparator.comparing(FieldError::field).thenComparing(FieldError::toString));
        return errors;
    }

    private FieldError toFieldError(ValidationMessage message, String prefix) {
        JsonNodePath location = message.getInstanceLocation();
        JsonNode schema = structural;
        String name = prefix;
        for (int i = 0; i < location.getNameCount(); i++) {
            Object element = location.getElement(i);
            if (element instanceof Integer index) {
                schema = StructuralSchema.items(schema);
                name = name + "[" + index + "]";
            } else {
                schema = StructuralSchema.field(schema, element.toString());
                name = name.isEmpty() ? element.toString() : name + "." + element;
            }
        }
        JsonNode value = message.getInstanceNode();
        String rendered = GoValues.render(value);
        String in = name + " in body";
        switch (message.getType()) {
            case "required": {
                String child = name.isEmpty() ? message.getProperty() : name + "." + message.getProperty();
                return FieldError.required(child);
            }
            case "enum": {
                List<String> supported = new ArrayList<>();
                schema.path("enum").forEach(allowed -> supported.add(allowed.isTextual() ? allowed.asText() : allowed.toString()));
                return FieldError.notSupported(name, rendered, supported);
            }
            case "type": {
                String actual = GoValues.quote(jsonType(value));
                String declared = StructuralSchema.intOrString(schema) ? "integer,string" : StructuralSchema.type(schema);
                return FieldError.typeInvalid(name, actual, in + " must be of type " + declared + ": " + actual);
            }
            case "minimum":
                return FieldError.invalid(name, rendered, in + " should be greater than "
                        + (schema.path("exclusiveMinimum").asBoolean(false) ? "" : "or equal to ")
                        + bound(schema.path("minimum").asDouble(), value));
            case "maximum":
                return FieldError.invalid(name, rendered, in + " should be less than "
                        + (schema.path("exclusiveMaximum").asBoolean(false) ? "" : "or equal to ")
                        + bound(schema.path("maximum").asDouble(), value));
            case "pattern":
                return FieldError.invalid(name, rendered, in + " should match '" + schema.path("pattern").asText() + "'");
            case "maxLength":
                return FieldError.tooLong(name, schema.path("maxLength").asLong());
            case "minLength":
                return FieldError.invalid(name, rendered,
                        in + " should be at least " + schema.path("minLength").asLong() + " chars long");
            case "maxItems":
                return FieldError.tooMany(name, value.size(), schema.path("maxItems").asLong());
            case "minItems":
                return FieldError.invalid(name, String.valueOf(value.size()),
                        in + " should have at least " + schema.path("minItems").asLong() + " items");
            case "maxProperties":
                return FieldError.tooMany(name, value.size(), schema.path("maxProperties").asLong());
            case "minProperties":
                return FieldError.invalid(name, String.valueOf(value.size()),
                        in + " should have at least " + schema.path("minProperties").asLong() + " properties");
            default:
                throw new IllegalStateException("no API server wording for JSON Schema keyword '" + message.getType()
                        + "' (" + message + "): add it to " + OpenApiValidation.class.getSimpleName());
        }
    }

    /** kube-openapi prints the bound as an int64 when the value is one, else as a float64. */
    private static String bound(double bound, JsonNode value) {
        return value.isIntegralNumber() ? String.valueOf((long) bound) : GoValues.formatFloat(bound);
    }

    /** The JSON type name kube-openapi reports for a value of the wrong type. */
    private static String jsonType(JsonNode value) {
        if (value.isTextual()) {
            return "string";
        }
        if (value.isIntegralNumber()) {
            return "integer";
        }
        if (value.isNumber()) {
            return "number";
        }
        if (value.isBoolean()) {
            return "boolean";
        }
        if (value.isArray()) {
            return "array";
        }
        if (value.isObject()) {
            return "object";
        }
        return "null";
    }

    /** The draft 4 JSON Schema equivalent of a structural schema node. */
    static JsonNode toJsonSchema(JsonNode structural) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        structural.fields().forEachRemaining(entry -> {
            String key = entry.getKey();
            JsonNode value = entry.getValue();
            switch (key) {
                case "properties" -> {
                    ObjectNode properties = out.putObject("properties");
                    value.fields().forEachRemaining(p -> properties.set(p.getKey(), toJsonSchema(p.getValue())));
                }
                case "items", "not" -> out.set(key, toJsonSchema(value));
                case "additionalProperties" -> out.set(key, value.isObject() ? toJsonSchema(value) : value);
                case "anyOf", "allOf", "oneOf" -> {
                    if (!StructuralSchema.intOrString(structural)) {
                        ArrayNode alternatives = out.putArray(key);
                        value.forEach(alternative -> alternatives.add(toJsonSchema(alternative)));
                    }
                }
                case "format", "nullable", "description", "default", "example" -> {
                    // annotations; format: none of the fields declares one (the test of the CRDs checks that)
                }
                default -> {
                    if (!key.startsWith("x-kubernetes-")) {
                        out.set(key, value);
                    }
                }
            }
        });
        if (StructuralSchema.intOrString(structural)) {
            out.putArray("type").add("integer").add("string");
        }
        if (StructuralSchema.nullable(structural) && out.has("type")) {
            JsonNode type = out.get("type");
            ArrayNode union = JsonNodeFactory.instance.arrayNode();
            if (type.isArray()) {
                union.addAll((ArrayNode) type);
            } else {
                union.add(type);
            }
            out.set("type", union.add("null"));
            if (out.has("enum")) {
                ((ArrayNode) out.get("enum")).addNull();
            }
        }
        return out;
    }
}
