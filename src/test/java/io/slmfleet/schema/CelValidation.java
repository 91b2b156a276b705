package io.slmfleet.schema;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

import dev.cel.bundle.Cel;
import dev.cel.bundle.CelFactory;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelOptions;
import dev.cel.common.CelValidationException;
import dev.cel.common.ast.CelExpr;
import dev.cel.common.navigation.CelNavigableAst;
import dev.cel.common.types.SimpleType;
import dev.cel.common.values.NullValue;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;

/**
 * Evaluates every {@code x-kubernetes-validations} rule at the node it sits on, as apiextensions-apiserver's CEL
 * validator does: only for values that are present, {@code self} bound to the value (objects as maps of the fields
 * that are set, so a missing field fails with "no such key" unless the rule guards it with has()), transition rules
 * (those that mention {@code oldSelf}) only on update and only where the old object has a correlated node (same
 * property, same map key, same list-map key; never inside atomic lists). At the resource root, {@code self} holds
 * apiVersion, kind, metadata.name and metadata.generateName, spec and status.
 *
 * <p>The Kubernetes CEL libraries (quantity(), format, lists, ...) are not in cel-java: a rule that needs them
 * fails to compile here, so the API avoids them.
 */
final class CelValidation {

    private static final Cel CEL = CelFactory.standardCelBuilder()
            .setOptions(CelOptions.current()
                    // cel-go (the API server) compares int, uint and double across types, and matches() finds, not anchors
                    .enableHeterogeneousNumericComparisons(true)
                    .enableRegexPartialMatch(true)
                    .build())
            .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
            .addVar("self", SimpleType.DYN)
            .addVar("oldSelf", SimpleType.DYN)
            .build();

    private static final Map<String, CompiledRule> COMPILED = new ConcurrentHashMap<>();
    private static final Pattern MISSING_KEY = Pattern.compile("key '([^']*)' is not present in map");

    /** A rule compiled once, with what the API server derives from it. */
    record CompiledRule(String rule, CelAbstractSyntaxTree ast, CelRuntime.Program program, boolean usesOldSelf) {
    }

    private CelValidation() {
    }

    /** Compiles (and caches) a rule; a rule that does not compile is an error in the CRD, not in a resource. */
    static CompiledRule compile(String rule) {
        return COMPILED.computeIfAbsent(rule, source -> {
            try {
                CelAbstractSyntaxTree ast = CEL.compile(source).getAst();
                boolean usesOldSelf = CelNavigableAst.fromAst(ast).getRoot().allNodes()
                        .anyMatch(node -> node.getKind() == CelExpr.ExprKind.Kind.IDENT
                                && node.expr().ident().name().equals("oldSelf"));
                return new CompiledRule(source, ast, CEL.createProgram(ast), usesOldSelf);
            } catch (CelValidationException | CelEvaluationException e) {
                throw new IllegalArgumentException("CEL rule does not compile: " + source + "\n" + e.getMessage(), e);
            }
        });
    }

    /** Errors of all rules in {@code schema} and below for {@code value} (and {@code old} on update, else null). */
    static List<FieldError> validate(JsonNode value, JsonNode old, JsonNode schema, FieldPath path, boolean resourceRoot) {
        List<FieldError> errors = new ArrayList<>();
        walk(value, old, schema, path, resourceRoot, errors);
        return errors;
    }

    private static void walk(JsonNode value, JsonNode old, JsonNode schema, FieldPath path, boolean resourceRoot,
            List<FieldError> errors) {
        if (schema == null || value == null || value.isNull()) {
            return;
        }
        JsonNode correlatedOld = old == null || old.isNull() ? null : old;
        evaluateRules(value, correlatedOld, schema, path, resourceRoot, errors);
        if (value.isObject()) {
            value.fields().forEachRemaining(field -> {
                String name = field.getKey();
                JsonNode oldField = correlatedOld != null && correlatedOld.isObject() ? correlatedOld.get(name) : null;
                JsonNode property = StructuralSchema.property(schema, name);
                if (property != null) {
                    walk(field.getValue(), oldField, property, path.child(name), false, errors);
                } else if (StructuralSchema.mapValues(schema) != null) {
                    walk(field.getValue(), oldField, StructuralSchema.mapValues(schema), path.key(name), false, errors);
                }
            });
        } else if (value.isArray()) {
            for (int i = 0; i < value.size(); i++) {
                JsonNode oldItem = correlatedListMapEntry(value.get(i), correlatedOld, schema);
                walk(value.get(i), oldItem, StructuralSchema.items(schema), path.index(i), false, errors);
            }
        }
    }

    /** Only list-map entries correlate with their old version (by key); other list items have no oldSelf. */
    private static JsonNode correlatedListMapEntry(JsonNode item, JsonNode oldList, JsonNode listSchema) {
        if (oldList == null || !oldList.isArray() || !"map".equals(listSchema.path("x-kubernetes-list-type").asText())) {
            return null;
        }
        for (JsonNode oldItem : oldList) {
            boolean sameKey = true;
            for (JsonNode key : listSchema.path("x-kubernetes-list-map-keys")) {
                sameKey &= item.path(key.asText()).equals(oldItem.path(key.asText()));
            }
            if (sameKey) {
                return oldItem;
            }
        }
        return null;
    }

    private static void evaluateRules(JsonNode value, JsonNode old, JsonNode schema, FieldPath path, boolean resourceRoot,
            List<FieldError> errors) {
        JsonNode rules = schema.get("x-kubernetes-validations");
        if (rules == null || rules.isEmpty()) {
            return;
        }
        Object self = resourceRoot ? resourceRoot(value, schema) : toCel(value, schema);
        Object oldSelf = old == null ? null : resourceRoot ? resourceRoot(old, schema) : toCel(old, schema);
        String nodeType = GoValues.quote(StructuralSchema.type(schema));
        for (JsonNode rule : rules) {
            CompiledRule compiled = compile(rule.path("rule").asText());
            if (compiled.usesOldSelf() && oldSelf == null && !rule.path("optionalOldSelf").asBoolean(false)) {
                continue;
            }
            Map<String, Object> variables = new HashMap<>();
            variables.put("self", self);
            if (oldSelf != null) {
                variables.put("oldSelf", oldSelf);
            }
            Object result;
            try {
                result = compiled.program().eval(variables);
            } catch (CelEvaluationException e) {
                errors.add(FieldError.invalid(path.toString(), nodeType,
                        evaluationError(e) + " evaluating rule: " + ruleErrorString(rule)));
                continue;
            }
            if (Boolean.TRUE.equals(result)) {
                continue;
            }
            FieldPath errorPath = withRuleFieldPath(path, rule.path("fieldPath").asText(""));
            String detail = rule.hasNonNull("message") ? rule.get("message").asText().trim()
                    : "failed rule: " + ruleErrorString(rule);
            errors.add(switch (rule.path("reason").asText("FieldValueInvalid")) {
                case "FieldValueRequired" -> FieldError.required(errorPath.toString(), detail);
                case "FieldValueDuplicate" -> FieldError.duplicate(errorPath.toString(), nodeType);
                case "FieldValueForbidden" -> FieldError.forbidden(errorPath.toString(), detail);
                default -> FieldError.invalid(errorPath.toString(), nodeType, detail);
            });
        }
    }

    private static String ruleErrorString(JsonNode rule) {
        return rule.hasNonNull("message") ? rule.get("message").asText().trim() : rule.path("rule").asText().trim();
    }

    /** cel-go's wording for the runtime errors a rule can run into. */
    private static String evaluationError(CelEvaluationException e) {
        Matcher missingKey = MISSING_KEY.matcher(String.valueOf(e.getMessage()));
        return missingKey.find() ? "no such key: " + missingKey.group(1) : String.valueOf(e.getMessage());
    }

    /** A rule's fieldPath (".a.b") moves the error to that field below the rule's node. */
    private static FieldPath withRuleFieldPath(FieldPath path, String fieldPath) {
        FieldPath result = path;
        for (String segment : fieldPath.split("\\.")) {
            if (segment.contains("[")) {
                throw new IllegalArgumentException("fieldPath with brackets is not supported here: " + fieldPath);
            }
            if (!segment.isEmpty()) {
                result = result.child(segment);
            }
        }
        return result;
    }

    /** The resource root as CEL sees it: metadata reduced to name and generateName. */
    private static Object resourceRoot(JsonNode resource, JsonNode schema) {
        Map<String, Object> root = new LinkedHashMap<>();
        resource.fields().forEachRemaining(field -> {
            if (field.getKey().equals("metadata")) {
                Map<String, Object> metadata = new LinkedHashMap<>();
                for (String name : List.of("name", "generateName")) {
                    if (field.getValue().hasNonNull(name)) {
                        metadata.put(name, field.getValue().get(name).asText());
                    }
                }
                root.put("metadata", metadata);
            } else {
                root.put(field.getKey(), toCel(field.getValue(), StructuralSchema.field(schema, field.getKey())));
            }
        });
        return root;
    }

    /** A JSON value as a CEL value of its schema type: integer to int, number to double (also 1 for 1.0), etc. */
    static Object toCel(JsonNode value, JsonNode schema) {
        if (value == null || value.isNull()) {
            return NullValue.NULL_VALUE;
        }
        if (schema == null || StructuralSchema.intOrString(schema) || StructuralSchema.type(schema).isEmpty()) {
            return untyped(value);
        }
        switch (StructuralSchema.type(schema)) {
            case "integer":
                return value.asLong();
            case "number":
                return value.asDouble();
            case "string":
                return value.asText();
            case "boolean":
                return value.asBoolean();
            case "array": {
                List<Object> list = new ArrayList<>();
                value.forEach(item -> list.add(toCel(item, StructuralSchema.items(schema))));
                return list;
            }
            default: {
                Map<String, Object> map = new LinkedHashMap<>();
                value.fields().forEachRemaining(field -> map.put(field.getKey(),
                        toCel(field.getValue(), StructuralSchema.field(schema, field.getKey()))));
                return map;
            }
        }
    }

    private static Object untyped(JsonNode value) {
        if (value.isObject()) {
            Map<String, Object> map = new LinkedHashMap<>();
            value.fields().forEachRemaining(field -> map.put(field.getKey(), untyped(field.getValue())));
            return map;
        }
        if (value.isArray()) {
            List<Object> list = new ArrayList<>();
            value.forEach(item -> list.add(untyped(item)));
            return list;
        }
        if (value.isIntegralNumber()) {
            return value.asLong();
        }
        if (value.isNumber()) {
            return value.asDouble();
        }
        if (value.isBoolean()) {
            return value.asBoolean();
        }
        if (value.isNull()) {
            return NullValue.NULL_VALUE;
        }
        return value.asText();
    }
}
