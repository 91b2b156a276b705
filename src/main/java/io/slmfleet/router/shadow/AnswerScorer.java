package io.slmfleet.router.shadow;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import io.slmfleet.router.table.OutputSchema;

/**
 * Scores a candidate's answer against the reference's, in [0, 1]. Pure: same answers, same score.
 * <ul>
 * <li>tool calls (either answer has some): per call position, 0 when the function names differ, otherwise the share
 * of equal argument leaves; averaged over the longer list of calls;</li>
 * <li>structured output (the route has a response schema, or both answers parse as JSON): the share of equal leaf
 * values over the union of both answers' leaf paths (numbers within {@link #RELATIVE_TOLERANCE}, strings
 * trimmed);</li>
 * <li>free text: token-level F1 of the normalised texts (lower case, punctuation dropped), or the judge's grade.</li>
 * </ul>
 * A candidate that fails the route's schema scores 0 as {@link Verdict#candidate_invalid}; a reference that fails it
 * cannot be scored against ({@link Verdict#reference_error}).
 */
public final class AnswerScorer {

    /** Numbers within this share of the larger magnitude are equal: 1.0 and 1 agree, 1234.56 and 1234.5 do not. */
    public static final double RELATIVE_TOLERANCE = 1e-6;

    /** "12 apples" is text, not the number 12 followed by noise. */
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();

    public enum Kind {
        TOOL_CALLS,
        STRUCTURED,
        /** Free text: scored by token F1, or by the judge when the delegation has one. */
        FREE_TEXT
    }

    /**
     * @param kind how the answers were compared
     * @param score in [0, 1]
     * @param failure {@link Verdict#candidate_invalid} or {@link Verdict#reference_error} when one side is unusable,
     *        otherwise null (the score decides)
     */
    public record Score(Kind kind, double score, Verdict failure) {

        /** The verdict of a score without failure, against the delegation's threshold. */
        public Verdict verdict(double agreementThreshold) {
            if (failure != null) {
                return failure;
            }
            return score >= agreementThreshold ? Verdict.agree : Verdict.disagree;
        }
    }

    private AnswerScorer() {
    }

    /** @param schema the route's response schema, or null */
    public static Score score(Answer reference, Answer candidate, OutputSchema schema) {
        if (schema != null) {
            if (schema.problemWith(candidate.asCompletion()) != null) {
                return new Score(kindOf(reference, candidate), 0, Verdict.candidate_invalid);
            }
            if (schema.problemWith(reference.asCompletion()) != null) {
                return new Score(kindOf(reference, candidate), 0, Verdict.reference_error);
            }
        }
        if (!reference.toolCalls().isEmpty() || !candidate.toolCalls().isEmpty()) {
            return new Score(Kind.TOOL_CALLS, toolCalls(reference.toolCalls(), candidate.toolCalls()), null);
        }
        JsonNode referenceJson = parse(reference.content());
        JsonNode candidateJson = parse(candidate.content());
        if (referenceJson != null && candidateJson != null) {
            return new Score(Kind.STRUCTURED, leafAgreement(referenceJson, candidateJson), null);
        }
        return new Score(Kind.FREE_TEXT, tokenF1(reference.content(), candidate.content()), null);
    }

    private static Kind kindOf(Answer reference, Answer candidate) {
        return reference.toolCalls().isEmpty() && candidate.toolCalls().isEmpty() ? Kind.STRUCTURED : Kind.TOOL_CALLS;
    }

    static double toolCalls(List<Answer.ToolCall> reference, List<Answer.ToolCall> candidate) {
        int calls = Math.max(reference.size(), candidate.size());
        double total = 0;
        for (int i = 0; i < Math.min(reference.size(), candidate.size()); i++) {
            Answer.ToolCall expected = reference.get(i);
            Answer.ToolCall actual = candidate.get(i);
            if (!expected.name().equals(actual.name())) {
                continue;
            }
            JsonNode expectedArguments = parse(expected.arguments());
            JsonNode actualArguments = parse(actual.arguments());
            if (expectedArguments != null && actualArguments != null) {
                total += leafAgreement(expectedArguments, actualArguments);
            } else if (expected.arguments().strip().equals(actual.arguments().strip())) {
                total += 1;
            }
        }
        return total / calls;
    }

    /** The share of leaf paths, over both documents' union, whose values are equal in both. */
    static double leafAgreement(JsonNode reference, JsonNode candidate) {
        Map<String, JsonNode> expected = leaves(reference);
        Map<String, JsonNode> actual = leaves(candidate);
        Set<String> paths = new LinkedHashSet<>(expected.keySet());
        paths.addAll(actual.keySet());
        int equal = 0;
        for (String path : paths) {
            JsonNode a = expected.get(path);
            JsonNode b = actual.get(path);
            if (a != null && b != null && equalLeaves(a, b)) {
                equal++;
            }
        }
        return (double) equal / paths.size();
    }

    /** Scalars and empty containers by JSON-pointer-like path; a bare scalar is the one leaf at "". */
    private static Map<String, JsonNode> leaves(JsonNode root) {
        Map<String, JsonNode> leaves = new LinkedHashMap<>();
        collect(root, "", leaves);
        return leaves;
    }

    private static void collect(JsonNode node, String path, Map<String, JsonNode> leaves) {
        if (node.isContainerNode() && !node.isEmpty()) {
            if (node.isObject()) {
                node.fields().forEachRemaining(field -> collect(field.getValue(),
                        path + "/" + field.getKey().replace("~", "~0").replace("/", "~1"), leaves));
            } else {
                for (int i = 0; i < node.size(); i++) {
                    collect(node.get(i), path + "/" + i, leaves);
                }
            }
            return;
        }
        leaves.put(path, node);
    }

    private static boolean equalLeaves(JsonNode a, JsonNode b) {
        if (a.isNumber() && b.isNumber()) {
            double x = a.asDouble();
            double y = b.asDouble();
            return Math.abs(x - y) <= RELATIVE_TOLERANCE * Math.max(Math.abs(x), Math.abs(y));
        }
        if (a.isTextual() && b.isTextual()) {
            return a.asText().strip().equals(b.asText().strip());
        }
        return a.equals(b);
    }

    /** Token-level F1 of the normalised texts; two empty texts agree fully. */
    static double tokenF1(String reference, String candidate) {
        List<String> expected = tokens(reference);
        List<String> actual = tokens(candidate);
        if (expected.isEmpty() || actual.isEmpty()) {
            return expected.isEmpty() && actual.isEmpty() ? 1 : 0;
        }
        Map<String, Integer> remaining = new HashMap<>();
        expected.forEach(token -> remaining.merge(token, 1, Integer::sum));
        int common = 0;
        for (String token : actual) {
            Integer left = remaining.get(token);
            if (left != null && left > 0) {
                remaining.put(token, left - 1);
                common++;
            }
        }
        if (common == 0) {
            return 0;
        }
        double precision = (double) common / actual.size();
        double recall = (double) common / expected.size();
        return 2 * precision * recall / (precision + recall);
    }

    /**
     * The lower-cased text's runs of letters and numbers (Unicode categories L and N), in order. A scan, not a regex
     * replace and split: on the router this runs for every compared answer.
     */
    static List<String> tokens(String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        List<String> tokens = new ArrayList<>();
        int start = -1;
        for (int i = 0; i < lower.length(); ) {
            int codePoint = lower.codePointAt(i);
            if (isWordCharacter(codePoint)) {
                if (start < 0) {
                    start = i;
                }
            } else if (start >= 0) {
                tokens.add(lower.substring(start, i));
                start = -1;
            }
            i += Character.charCount(codePoint);
        }
        if (start >= 0) {
            tokens.add(lower.substring(start));
        }
        return tokens;
    }

    private static boolean isWordCharacter(int codePoint) {
        return switch (Character.getType(codePoint)) {
            case Character.UPPERCASE_LETTER, Character.LOWERCASE_LETTER, Character.TITLECASE_LETTER,
                    Character.MODIFIER_LETTER, Character.OTHER_LETTER, Character.DECIMAL_DIGIT_NUMBER,
                    Character.LETTER_NUMBER, Character.OTHER_NUMBER -> true;
            default -> false;
        };
    }

    /**
     * Whether the text starts like a JSON value. Prose is told apart here rather than by the parser's exception: a
     * parse exception costs more than the rest of a comparison, and most free text would throw one.
     */
    private static boolean mayBeJson(String text) {
        if (text.isEmpty()) {
            return false;
        }
        char first = text.charAt(0);
        return first == '{' || first == '[' || first == '"' || first == '-' || (first >= '0' && first <= '9')
                || text.equals("true") || text.equals("false") || text.equals("null");
    }

    /** @return the text's JSON value, or null when it is not JSON (or empty) */
    private static JsonNode parse(String text) {
        if (text == null || !mayBeJson(text.strip())) {
            return null;
        }
        try {
            JsonNode node = MAPPER.readTree(text);
            return node == null || node.isMissingNode() ? null : node;
        } catch (IOException e) {
            return null;
        }
    }
}
