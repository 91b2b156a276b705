package io.slmfleet.agentroute;

import java.io.IOException;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchemaException;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion.VersionFlag;
import com.networknt.schema.SpecVersionDetector;
import com.networknt.schema.ValidationMessage;
import com.networknt.schema.resource.SchemaLoader;

import io.fabric8.kubernetes.api.model.ConfigMap;

/** Reads response schemas out of ConfigMaps and checks them the way the router will use them. */
public final class ResponseSchemas {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final int MAX_ERRORS_SHOWN = 3;
    private static final String CLASSPATH = "classpath:";
    private static final Map<VersionFlag, JsonSchemaFactory> FACTORIES = new ConcurrentHashMap<>();

    private ResponseSchemas() {
    }

    /**
     * The document must be JSON, valid against the meta-schema of its draft ({@code $schema}; 2020-12 when absent, as
     * the router reads it) and compilable without fetching anything remote (the router follows no remote refs).
     *
     * @param configMap the ConfigMap as read from the API server, or null when it does not exist
     */
    public static ResponseSchema read(SchemaRef ref, ConfigMap configMap) {
        if (configMap == null) {
            return unusable(InputProblem.RESPONSE_SCHEMA_NOT_FOUND, "ConfigMap " + ref.configMap() + " not found");
        }
        String text = configMap.getData() == null ? null : configMap.getData().get(ref.key());
        if (text == null) {
            return unusable(InputProblem.RESPONSE_SCHEMA_NOT_FOUND, "ConfigMap " + ref.configMap() + " has no key " + ref.key());
        }
        JsonNode node;
        try {
            node = MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            return unusable(InputProblem.INVALID_RESPONSE_SCHEMA, ref + " is not JSON: " + e.getOriginalMessage());
        }
        if (node == null || !(node.isObject() || node.isBoolean())) {
            return unusable(InputProblem.INVALID_RESPONSE_SCHEMA, ref + " is not a JSON Schema: a schema is an object or a boolean");
        }
        VersionFlag version;
        try {
            version = node.isObject() && node.has("$schema") ? SpecVersionDetector.detect(node) : VersionFlag.V202012;
        } catch (JsonSchemaException e) {
            return unusable(InputProblem.INVALID_RESPONSE_SCHEMA, ref + " declares $schema " + node.path("$schema").asText()
                    + ", which is no JSON Schema draft the router knows");
        }
        JsonSchemaFactory factory = FACTORIES.computeIfAbsent(version, ResponseSchemas::factory);
        Set<ValidationMessage> errors = factory.getSchema(SchemaLocation.of(version.getId())).validate(node);
        if (!errors.isEmpty()) {
            return unusable(InputProblem.INVALID_RESPONSE_SCHEMA, ref + " is not a valid JSON Schema (" + version.getId() + "): "
                    + errors.stream().map(ValidationMessage::getMessage).sorted().limit(MAX_ERRORS_SHOWN)
                            .collect(Collectors.joining("; ")));
        }
        try {
            factory.getSchema(node).initializeValidators();
        } catch (RuntimeException e) {
            Throwable cause = e;
            while (cause.getCause() != null) {
                cause = cause.getCause();
            }
            return unusable(InputProblem.INVALID_RESPONSE_SCHEMA, ref + " cannot be compiled: " + e.getMessage()
                    + (cause == e ? "" : " (" + cause.getMessage() + ")"));
        }
        return new ResponseSchema.Usable(MAPPER.convertValue(node, Object.class));
    }

    private static ResponseSchema unusable(String reason, String message) {
        return new ResponseSchema.Unusable(new InputProblem(reason, message));
    }

    /**
     * Meta-schemas come from the library's classpath copies (their IRIs are mapped to classpath: before any loader runs).
     * The library's own loaders, which would fetch http(s) IRIs, run after the ones configured here, so this first
     * loader answers every other IRI with an error instead of leaving it to them.
     */
    private static JsonSchemaFactory factory(VersionFlag version) {
        SchemaLoader noRemoteFetch = iri -> iri.toString().startsWith(CLASSPATH) ? null : () -> {
            throw new IOException("the reference " + iri + " is not fetched: a response schema must be self-contained");
        };
        return JsonSchemaFactory.getInstance(version, builder -> builder.schemaLoaders(loaders -> loaders.add(noRemoteFetch)));
    }
}
