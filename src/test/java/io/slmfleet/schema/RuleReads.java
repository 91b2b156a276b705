package io.slmfleet.schema;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import dev.cel.common.ast.CelExpr;
import dev.cel.common.navigation.CelNavigableExpr;

/**
 * The schema nodes a CEL rule reads, found by following its field selections from {@code self} (and through the
 * variables of all/exists/filter over lists), the way the API server types a rule against the schema. has() tests
 * are not reads. A selection of a field the schema does not declare is reported, as the API server's compiler does.
 */
final class RuleReads {

    /** A field the rule reads, or selects without the schema declaring it (node null). */
    record Read(String path, String field, JsonNode node) {
    }

    private final List<Read> reads = new ArrayList<>();

    private RuleReads() {
    }

    static List<Read> of(CelValidation.CompiledRule rule, JsonNode ruleNode, String path) {
        RuleReads reads = new RuleReads();
        Map<String, Typed> scope = new HashMap<>();
        scope.put("self", new Typed(path, ruleNode));
        scope.put("oldSelf", new Typed(path, ruleNode));
        reads.visit(rule.ast().getExpr(), scope);
        return reads.reads;
    }

    private record Typed(String path, JsonNode schema) {
    }

    private void visit(CelExpr expr, Map<String, Typed> scope) {
        switch (expr.getKind()) {
            case COMPREHENSION -> {
                CelExpr.CelComprehension comprehension = expr.comprehension();
                visit(comprehension.iterRange(), scope);
                Map<String, Typed> inner = new HashMap<>(scope);
                Typed range = typeOf(comprehension.iterRange(), scope);
                inner.put(comprehension.iterVar(), range == null ? null
                        : new Typed(range.path() + "[]", StructuralSchema.items(range.schema())));
                inner.remove(comprehension.accuVar());
                visit(comprehension.accuInit(), inner);
                visit(comprehension.loopCondition(), inner);
                visit(comprehension.loopStep(), inner);
                visit(comprehension.result(), inner);
            }
            case SELECT -> {
                CelExpr.CelSelect select = expr.select();
                visit(select.operand(), scope);
                Typed operand = typeOf(select.operand(), scope);
                if (operand != null && operand.schema() != null && operand.schema().has("properties")) {
                    JsonNode field = StructuralSchema.field(operand.schema(), select.field());
                    if (field == null || !select.testOnly()) {
                        reads.add(new Read(operand.path() + "." + select.field(), select.field(), field));
                    }
                }
            }
            default -> CelNavigableExpr.fromExpr(expr).children().forEach(child -> visit(child.expr(), scope));
        }
    }

    /** The schema of an expression's value where it is a field, list entry or filtered list; else null. */
    private static Typed typeOf(CelExpr expr, Map<String, Typed> scope) {
        switch (expr.getKind()) {
            case IDENT:
                return scope.get(expr.ident().name());
            case SELECT: {
                Typed operand = typeOf(expr.select().operand(), scope);
                if (operand == null || operand.schema() == null) {
                    return null;
                }
                JsonNode field = StructuralSchema.field(operand.schema(), expr.select().field());
                return field == null ? null : new Typed(operand.path() + "." + expr.select().field(), field);
            }
            case CALL: {
                if (!expr.call().function().equals("_[_]")) {
                    return null;
                }
                Typed list = typeOf(expr.call().args().get(0), scope);
                return list == null || list.schema() == null ? null
                        : new Typed(list.path() + "[]", StructuralSchema.items(list.schema()));
            }
            case COMPREHENSION:
                // filter keeps the entries of the list it filters
                return typeOf(expr.comprehension().iterRange(), scope);
            default:
                return null;
        }
    }
}
