package io.slmfleet.schema;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * apiextensions-apiserver's listtype validation: in a list with {@code x-kubernetes-list-type: map} no two entries
 * may have the same values for the {@code x-kubernetes-list-map-keys}; the second occurrence of a key is reported as
 * {@code Duplicate value: map[string]interface {}{"name":"..."}}.
 */
final class ListMapValidation {

    private ListMapValidation() {
    }

    static List<FieldError> validate(JsonNode value, JsonNode schema, FieldPath path) {
        List<FieldError> errors = new ArrayList<>();
        walk(value, schema, path, errors);
        return errors;
    }

    private static void walk(JsonNode value, JsonNode schema, FieldPath path, List<FieldError> errors) {
        if (schema == null || value == null) {
            return;
        }
        if (value.isObject()) {
            value.fields().forEachRemaining(field -> {
                JsonNode property = StructuralSchema.property(schema, field.getKey());
                if (property != null) {
                    walk(field.getValue(), property, path.child(field.getKey()), errors);
                } else if (StructuralSchema.mapValues(schema) != null) {
                    walk(field.getValue(), StructuralSchema.mapValues(schema), path.key(field.getKey()), errors);
                }
            });
        } else if (value.isArray()) {
            if ("map".equals(schema.path("x-kubernetes-list-type").asText())) {
                duplicates(value, schema.path("x-kubernetes-list-map-keys"), path, errors);
            }
            for (int i = 0; i < value.size(); i++) {
                walk(value.get(i), StructuralSchema.items(schema), path.index(i), errors);
            }
        }
    }

    private static void duplicates(JsonNode list, JsonNode keyFields, FieldPath path, List<FieldError> errors) {
        Map<JsonNode, Integer> seen = new HashMap<>();
        for (int i = 0; i < list.size(); i++) {
            JsonNode entry = list.get(i);
            if (!entry.isObject() && !entry.isNull()) {
                errors.add(FieldError.invalid(path.index(i).toString(), GoValues.render(entry),
                        "must be an object for an array of list-type map"));
                return;
            }
            ObjectNode key = JsonNodeFactory.instance.objectNode();
            keyFields.forEach(field -> {
                JsonNode keyValue = entry.get(field.asText());
                if (keyValue != null) {
                    key.set(field.asText(), keyValue);
                }
            });
            // only the second occurrence of a key is reported, as the API server does
            if (seen.merge(key, 1, Integer::sum) == 2) {
                errors.add(FieldError.duplicate(path.index(i).toString(), GoValues.goSyntax(key)));
            }
        }
    }
}
