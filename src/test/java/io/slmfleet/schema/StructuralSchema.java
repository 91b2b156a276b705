package io.slmfleet.schema;

import com.fasterxml.jackson.databind.JsonNode;

/** Navigation in a CRD's openAPIV3Schema (a structural schema, as JSON). */
final class StructuralSchema {

    private StructuralSchema() {
    }

    /** The schema of a declared property. */
    static JsonNode property(JsonNode schema, String name) {
        JsonNode properties = schema == null ? null : schema.get("properties");
        return properties == null ? null : properties.get(name);
    }

    /** The schema of the values of a map ({@code additionalProperties}), or null. */
    static JsonNode mapValues(JsonNode schema) {
        JsonNode values = schema == null ? null : schema.get("additionalProperties");
        return values != null && values.isObject() ? values : null;
    }

    /** The schema of a field of an object: a declared property, else a map value. */
    static JsonNode field(JsonNode schema, String name) {
        JsonNode property = property(schema, name);
        return property != null ? property : mapValues(schema);
    }

    static JsonNode items(JsonNode schema) {
        return schema == null ? null : schema.get("items");
    }

    static boolean preservesUnknownFields(JsonNode schema) {
        return schema != null && schema.path("x-kubernetes-preserve-unknown-fields").asBoolean(false);
    }

    static boolean intOrString(JsonNode schema) {
        return schema != null && schema.path("x-kubernetes-int-or-string").asBoolean(false);
    }

    static boolean nullable(JsonNode schema) {
        return schema != null && schema.path("nullable").asBoolean(false);
    }

    static String type(JsonNode schema) {
        return schema == null ? "" : schema.path("type").asText("");
    }
}
