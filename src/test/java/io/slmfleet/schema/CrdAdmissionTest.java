package io.slmfleet.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.cel.common.ast.CelExpr;
import dev.cel.common.navigation.CelNavigableAst;

/**
 * What the API server checks when the CRDs themselves are applied, as far as it can be checked without one: the
 * schemas are structural, every CEL rule compiles and selects fields that exist, every string and list a rule reads
 * is bounded (the API server estimates each rule's worst-case cost from maxLength/maxItems and rejects the CRD when
 * an unbounded value makes it exceed the budget), and every default passes the schema and the rules of its node.
 */
class CrdAdmissionTest {

    @Test
    void fiveCrdsOneVersionEach() {
        assertThat(CrdSchema.all()).containsOnlyKeys("SLMSpecialist", "FineTuneJob", "AgentRoute", "CurationJob",
                "EvaluationJob");
        CrdSchema.all().values().forEach(crd -> assertThat(crd.apiVersion()).isEqualTo("slmfleet.io/v1alpha1"));
    }

    @Test
    void schemasAreStructuralAndUseNoFormat() {
        List<String> problems = new ArrayList<>();
        forEachNode((path, node) -> {
            if (StructuralSchema.type(node).isEmpty() && !StructuralSchema.intOrString(node)
                    && !StructuralSchema.preservesUnknownFields(node)) {
                problems.add(path + " has no type");
            }
            // OpenApiValidation drops format; the API server would check some formats
            if (node.has("format")) {
                problems.add(path + " declares format " + node.get("format"));
            }
        });
        assertThat(problems).isEmpty();
    }

    @Test
    void everyRuleCompilesAndSelectsDeclaredFields() {
        List<String> problems = new ArrayList<>();
        forEachRule((path, node, rule) -> {
            CelValidation.CompiledRule compiled = CelValidation.compile(rule.path("rule").asText());
            RuleReads.of(compiled, node, path).stream()
                    .filter(read -> read.node() == null)
                    .forEach(read -> problems.add(path + ": rule '" + compiled.rule() + "' selects undeclared " + read.path()));
            if (!rule.hasNonNull("message")) {
                problems.add(path + ": rule '" + compiled.rule() + "' has no message for users");
            }
        });
        assertThat(problems).isEmpty();
    }

    @Test
    void everyValueARuleReadsIsBounded() {
        List<String> problems = new ArrayList<>();
        forEachRule((path, node, rule) -> {
            if (StructuralSchema.type(node).equals("array")) {
                requireBounded(path, node, true, problems);
            }
            RuleReads.of(CelValidation.compile(rule.path("rule").asText()), node, path).stream()
                    .filter(read -> read.node() != null)
                    .forEach(read -> requireBounded(read.path(), read.node(), false, problems));
        });
        assertThat(problems).isEmpty();
    }

    /**
     * The API server bounds a comprehension (all, exists, filter, map) by the maxItems of the list it walks; a list a
     * rule computes (the result of filter or map) has no declared bound, so its estimated cost is unbounded and the CRD
     * is refused ("estimated rule cost exceeds budget by factor of more than 100x"), however small the input lists. A
     * list literal of constants is sized by its elements, so it may be walked (standard CEL's only way to index pairs).
     */
    @Test
    void noRuleWalksAComputedList() {
        List<String> problems = new ArrayList<>();
        forEachRule((path, node, rule) -> {
            CelValidation.CompiledRule compiled = CelValidation.compile(rule.path("rule").asText());
            CelNavigableAst.fromAst(compiled.ast()).getRoot().allNodes()
                    .filter(expr -> expr.getKind() == CelExpr.ExprKind.Kind.COMPREHENSION)
                    .map(expr -> expr.expr().comprehension().iterRange())
                    .filter(range -> !isDeclaredValue(range) && !isLiteralOfConstants(range))
                    .forEach(range -> problems.add(path + ": rule '" + compiled.rule()
                            + "' walks a list it computes (" + range.getKind() + "), which the API server cannot bound"));
        });
        assertThat(problems).isEmpty();
    }

    /** A value of the schema: self, a comprehension variable, a field of one, or a list entry. */
    private static boolean isDeclaredValue(CelExpr expr) {
        return switch (expr.getKind()) {
            case IDENT -> true;
            case SELECT -> isDeclaredValue(expr.select().operand());
            case CALL -> expr.call().function().equals("_[_]") && isDeclaredValue(expr.call().args().get(0));
            default -> false;
        };
    }

    private static boolean isLiteralOfConstants(CelExpr expr) {
        return expr.getKind() == CelExpr.ExprKind.Kind.LIST
                && expr.list().elements().stream().allMatch(element -> element.getKind() == CelExpr.ExprKind.Kind.CONSTANT);
    }

    @Test
    void everyDefaultPassesTheSchemaAndRulesOfItsNode() {
        List<String> problems = new ArrayList<>();
        forEachNode((path, node) -> {
            if (!node.has("default")) {
                return;
            }
            JsonNode value = node.get("default").deepCopy();
            StructuralDefaulting.applyDefaults(value, node);
            List<FieldError> errors = new ArrayList<>(new OpenApiValidation(node).validate(value, path));
            errors.addAll(CelValidation.validate(value, null, node, new FieldPath(path), false));
            errors.forEach(error -> problems.add("default of " + path + ": " + error));
        });
        assertThat(problems).isEmpty();
    }

    private static void requireBounded(String path, JsonNode node, boolean itemsToo, List<String> problems) {
        switch (StructuralSchema.type(node)) {
            case "string" -> {
                if (!node.has("maxLength") && !node.has("enum")) {
                    problems.add(path + " is a string a rule reads, without maxLength");
                }
            }
            case "array" -> {
                if (!node.has("maxItems")) {
                    problems.add(path + " is a list a rule reads, without maxItems");
                }
                JsonNode items = StructuralSchema.items(node);
                if (itemsToo && StructuralSchema.type(items).equals("string") && !items.has("maxLength") && !items.has("enum")) {
                    problems.add(path + " entries are strings a rule reads, without maxLength");
                }
            }
            case "object" -> {
                if (StructuralSchema.mapValues(node) != null && !node.has("maxProperties")) {
                    problems.add(path + " is a map a rule reads, without maxProperties");
                }
            }
            default -> {
            }
        }
    }

    interface RuleVisitor {
        void visit(String path, JsonNode node, JsonNode rule);
    }

    interface FieldVisitor {
        void visit(String path, JsonNode node, String name);
    }

    private static void forEachRule(RuleVisitor visitor) {
        forEachNode((path, node) -> node.path("x-kubernetes-validations").forEach(rule -> visitor.visit(path, node, rule)));
    }

    /** Every schema node of every CRD, with a readable path (kind, then properties and [] for items). */
    private static void forEachNode(BiConsumer<String, JsonNode> visitor) {
        for (Map.Entry<String, CrdSchema> crd : CrdSchema.all().entrySet()) {
            JsonNode root = crd.getValue().openApiV3Schema();
            visitor.accept(crd.getKey(), root);
            forEachNodeBelow(root, crd.getKey(), (path, node, name) -> visitor.accept(path, node));
        }
    }

    private static void forEachNodeBelow(JsonNode schema, String path, FieldVisitor visitor) {
        schema.path("properties").fields().forEachRemaining(property -> {
            String child = path + "." + property.getKey();
            visitor.visit(child, property.getValue(), property.getKey());
            forEachNodeBelow(property.getValue(), child, visitor);
        });
        JsonNode items = StructuralSchema.items(schema);
        if (items != null) {
            visitor.visit(path + "[]", items, "");
            forEachNodeBelow(items, path + "[]", visitor);
        }
        JsonNode values = StructuralSchema.mapValues(schema);
        if (values != null) {
            visitor.visit(path + "{}", values, "");
            forEachNodeBelow(values, path + "{}", visitor);
        }
    }

}
