package io.slmfleet.schema;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What the API server does to a custom resource between decoding and validation, after
 * apiextensions-apiserver's schema/defaulting package: unknown fields are rejected (kubectl's default strict field
 * validation), nulls of non-nullable fields without a default are dropped, and defaults are applied recursively,
 * to absent fields of every object that is present (also inside list items and map values), never creating a
 * parent object that has no default itself.
 */
final class StructuralDefaulting {

    private StructuralDefaulting() {
    }

    /** Fields every resource has, whether or not the schema declares them (metadata is validated separately). */
    private static final Set<String> RESOURCE_FIELDS = Set.of("apiVersion", "kind", "metadata");

    /** Paths of fields the schema does not declare. */
    static List<String> unknownFields(JsonNode resource, JsonNode rootSchema) {
        List<String> unknown = new ArrayList<>();
        collectUnknown(resource, rootSchema, "", true, unknown);
        return unknown;
    }

    private static void collectUnknown(JsonNode value, JsonNode schema, String path, boolean root, List<String> unknown) {
        if (schema == null || StructuralSchema.preservesUnknownFields(schema)) {
            return;
        }
        if (value.isObject()) {
            value.fields().forEachRemaining(entry -> {
                String name = entry.getKey();
                String child = path.isEmpty() ? name : path + "." + name;
                if (root && RESOURCE_FIELDS.contains(name)) {
                    return;
                }
                JsonNode fieldSchema = StructuralSchema.field(schema, name);
                if (fieldSchema == null) {
                    unknown.add(child);
                } else {
                    collectUnknown(entry.getValue(), fieldSchema, child, false, unknown);
                }
            });
        } else if (value.isArray()) {
            for (int i = 0; i < value.size(); i++) {
                collectUnknown(value.get(i), StructuralSchema.items(schema), path + "[" + i + "]", false, unknown);
            }
        }
    }

    /** PruneNonNullableNullsWithoutDefaults: {@code field: null} means absent unless the field is nullable or defaulted. */
    static void pruneNulls(JsonNode value, JsonNode schema) {
        if (schema == null) {
            return;
        }
        if (value instanceof ObjectNode object) {
            Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> entry = fields.next();
                JsonNode fieldSchema = StructuralSchema.field(schema, entry.getKey());
                if (fieldSchema == null) {
                    continue;
                }
                if (entry.getValue().isNull() && !fieldSchema.has("default") && !StructuralSchema.nullable(fieldSchema)) {
                    fields.remove();
                } else {
                    pruneNulls(entry.getValue(), fieldSchema);
                }
            }
        } else if (value instanceof ArrayNode array) {
            array.forEach(item -> pruneNulls(item, StructuralSchema.items(schema)));
        }
    }

    /** defaulting.Default: defaults are deep-copied into absent fields, then the walk continues into every field. */
    static void applyDefaults(JsonNode value, JsonNode schema) {
        if (schema == null) {
            return;
        }
        if (value instanceof ObjectNode object) {
            JsonNode properties = schema.path("properties");
            properties.fields().forEachRemaining(property -> {
                JsonNode defaultValue = property.getValue().get("default");
                if (defaultValue == null) {
                    return;
                }
                JsonNode current = object.get(property.getKey());
                if (current == null || (current.isNull() && !StructuralSchema.nullable(property.getValue()))) {
                    object.set(property.getKey(), defaultValue.deepCopy());
                }
            });
            object.fields().forEachRemaining(field -> {
                JsonNode property = StructuralSchema.property(schema, field.getKey());
                if (property != null) {
                    applyDefaults(field.getValue(), property);
                    return;
                }
                JsonNode mapValues = StructuralSchema.mapValues(schema);
                if (mapValues != null) {
                    if (field.getValue().isNull() && mapValues.has("default") && !StructuralSchema.nullable(mapValues)) {
                        field.setValue(mapValues.get("default").deepCopy());
                    }
                    applyDefaults(field.getValue(), mapValues);
                }
            });
        } else if (value instanceof ArrayNode array) {
            JsonNode items = StructuralSchema.items(schema);
            for (int i = 0; i < array.size(); i++) {
                if (array.get(i).isNull() && items != null && items.has("default") && !StructuralSchema.nullable(items)) {
                    array.set(i, items.get("default").deepCopy());
                }
                applyDefaults(array.get(i), items);
            }
        }
    }
}
