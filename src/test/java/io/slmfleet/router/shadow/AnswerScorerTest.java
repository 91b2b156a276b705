package io.slmfleet.router.shadow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.slmfleet.router.shadow.AnswerScorer.Kind;
import io.slmfleet.router.table.OutputSchema;

class AnswerScorerTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static final OutputSchema INVOICE = OutputSchema.compile(Map.of("type", "object",
            "required", List.of("total"), "properties", Map.of("total", Map.of("type", "number"))));

    private static Answer text(String content) {
        ArrayNode choices = MAPPER.createArrayNode();
        choices.addObject().put("index", 0).putObject("message").put("role", "assistant").put("content", content);
        return Answer.of(choices);
    }

    private static Answer calls(String... nameThenArguments) {
        ArrayNode choices = MAPPER.createArrayNode();
        ObjectNode message = choices.addObject().put("index", 0).putObject("message").put("role", "assistant");
        message.putNull("content");
        ArrayNode toolCalls = message.putArray("tool_calls");
        for (int i = 0; i < nameThenArguments.length; i += 2) {
            toolCalls.addObject().put("id", "call_" + i).put("type", "function").putObject("function")
                    .put("name", nameThenArguments[i]).put("arguments", nameThenArguments[i + 1]);
        }
        return Answer.of(choices);
    }

    private static Answer completionText(String text) {
        ArrayNode choices = MAPPER.createArrayNode();
        choices.addObject().put("index", 0).put("text", text);
        return Answer.of(choices);
    }

    record Case(String why, Answer reference, Answer candidate, OutputSchema schema, Kind kind, double score,
            Verdict verdict) {
    }

    @Test
    void scoresAnswerPairs() {
        List<Case> cases = List.of(
                // structured output: the share of equal leaves over both answers' leaf paths
                new Case("same JSON, other key order and spacing", text("{\"total\": 12.5, \"currency\": \"EUR\"}"),
                        text("{ \"currency\":\"EUR\",\"total\":12.5 }"), null, Kind.STRUCTURED, 1, Verdict.agree),
                new Case("numbers within the relative tolerance, strings trimmed",
                        text("{\"total\": 1.0, \"name\": \"ACME\"}"), text("{\"total\": 1.0000000001, \"name\": \" ACME \"}"),
                        null, Kind.STRUCTURED, 1, Verdict.agree),
                new Case("one of two leaves differs", text("{\"total\": 1234.56, \"currency\": \"EUR\"}"),
                        text("{\"total\": 1234.5, \"currency\": \"EUR\"}"), null, Kind.STRUCTURED, 0.5,
                        Verdict.disagree),
                new Case("a missing and an extra leaf count against", text("{\"a\": 1, \"b\": 2}"),
                        text("{\"a\": 1, \"c\": 2}"), null, Kind.STRUCTURED, 1.0 / 3, Verdict.disagree),
                new Case("nested objects and arrays by path", text("{\"items\": [{\"sku\": \"x\"}, {\"sku\": \"y\"}]}"),
                        text("{\"items\": [{\"sku\": \"x\"}, {\"sku\": \"z\"}, {\"sku\": \"y\"}]}"), null,
                        Kind.STRUCTURED, 1.0 / 3, Verdict.disagree),
                new Case("a number is not its string", text("{\"total\": 12}"), text("{\"total\": \"12\"}"), null,
                        Kind.STRUCTURED, 0, Verdict.disagree),
                new Case("schema: the candidate conforms", text("{\"total\": 3}"), text("{\"total\": 3}"), INVOICE,
                        Kind.STRUCTURED, 1, Verdict.agree),
                new Case("schema: the candidate is not JSON", text("{\"total\": 3}"), text("The total is 3."),
                        INVOICE, Kind.STRUCTURED, 0, Verdict.candidate_invalid),
                new Case("schema: the candidate fails it", text("{\"total\": 3}"), text("{\"total\": \"3\"}"), INVOICE,
                        Kind.STRUCTURED, 0, Verdict.candidate_invalid),
                new Case("schema: the reference fails it, nothing to score against", text("I cannot tell."),
                        text("{\"total\": 3}"), INVOICE, Kind.STRUCTURED, 0, Verdict.reference_error),
                // tool calls: name match, then argument leaves
                new Case("same call, same arguments", calls("lookup", "{\"id\": 7}"), calls("lookup", "{ \"id\": 7 }"),
                        null, Kind.TOOL_CALLS, 1, Verdict.agree),
                new Case("same call, half the arguments right", calls("lookup", "{\"id\": 7, \"full\": true}"),
                        calls("lookup", "{\"id\": 7, \"full\": false}"), null, Kind.TOOL_CALLS, 0.5, Verdict.disagree),
                new Case("another function", calls("lookup", "{\"id\": 7}"), calls("delete", "{\"id\": 7}"), null,
                        Kind.TOOL_CALLS, 0, Verdict.disagree),
                new Case("one of two calls missing", calls("a", "{}", "b", "{\"x\": 1}"), calls("a", "{}"), null,
                        Kind.TOOL_CALLS, 0.5, Verdict.disagree),
                new Case("text where a call was due", calls("lookup", "{\"id\": 7}"), text("id 7"), null,
                        Kind.TOOL_CALLS, 0, Verdict.disagree),
                new Case("arguments that are not JSON", calls("lookup", "{\"id\": 7}"), calls("lookup", "id=7"), null,
                        Kind.TOOL_CALLS, 0, Verdict.disagree),
                new Case("schema on tool arguments: the candidate's fail it", calls("book", "{\"total\": 1}"),
                        calls("book", "{\"sum\": 1}"), INVOICE, Kind.TOOL_CALLS, 0, Verdict.candidate_invalid),
                // free text: token F1 of normalised text
                new Case("same words, other case and punctuation", text("The total is 1234.56 EUR."),
                        text("the total is 1234 56 eur"), null, Kind.FREE_TEXT, 1, Verdict.agree),
                new Case("half the words in common", text("pay the invoice today"), text("pay the bill tomorrow"),
                        null, Kind.FREE_TEXT, 0.5, Verdict.disagree),
                new Case("JSON only on one side is text", text("{\"total\": 12}"), text("total 12"), null,
                        Kind.FREE_TEXT, 1, Verdict.agree),
                new Case("a number followed by words is text", text("12 apples"), text("12 pears"), null,
                        Kind.FREE_TEXT, 0.5, Verdict.disagree),
                new Case("nothing in common", text("yes"), text("no"), null, Kind.FREE_TEXT, 0, Verdict.disagree),
                new Case("an empty candidate", text("yes"), text(""), null, Kind.FREE_TEXT, 0, Verdict.disagree),
                new Case("both empty", text(""), text("  "), null, Kind.FREE_TEXT, 1, Verdict.agree),
                new Case("completions' text field", completionText("Paris"), completionText("paris!"), null,
                        Kind.FREE_TEXT, 1, Verdict.agree));

        for (Case c : cases) {
            AnswerScorer.Score score = AnswerScorer.score(c.reference(), c.candidate(), c.schema());
            assertThat(score.kind()).as(c.why()).isEqualTo(c.kind());
            assertThat(score.score()).as(c.why()).isCloseTo(c.score(), within(1e-9));
            assertThat(score.verdict(0.9)).as(c.why()).isEqualTo(c.verdict());
        }
    }

    @Test
    void agreesAtTheThresholdItself() {
        AnswerScorer.Score half = AnswerScorer.score(text("a b"), text("a c"), null);

        assertThat(half.verdict(0.5)).isEqualTo(Verdict.agree);
        assertThat(half.verdict(0.51)).isEqualTo(Verdict.disagree);
    }

    @Test
    void readsTheJudgesGradeAndNothingElse() {
        record Reply(String content, Double score) {
        }
        List<Reply> replies = List.of(new Reply("5", 1.0), new Reply(" 4\n", 0.75), new Reply("3/5", 0.5),
                new Reply("**1**", 0.0), new Reply("2.", 0.25), new Reply("6", null), new Reply("0", null),
                new Reply("10", null), new Reply("The candidate is good, 4", null), new Reply("", null),
                new Reply("maybe", null));
        for (Reply reply : replies) {
            JsonNode completion = MAPPER.createObjectNode().set("choices", MAPPER.createArrayNode().add(
                    MAPPER.createObjectNode().set("message", MAPPER.createObjectNode().put("content", reply.content()))));
            var score = JudgeRubric.score(completion);
            if (reply.score() == null) {
                assertThat(score).as(reply.content()).isEmpty();
            } else {
                assertThat(score).as(reply.content()).hasValue(reply.score());
            }
        }
        assertThat(JudgeRubric.score(MAPPER.createObjectNode().put("error", "down"))).isEmpty();
    }

    @Test
    void asksTheJudgeWithBothAnswersAndTheRequestBounded() {
        String longAnswer = "x".repeat(JudgeRubric.MAX_TEXT + 100);
        ObjectNode body = JudgeRubric.request("judge-model", MAPPER.createArrayNode().add("what is the total?"),
                "12 EUR", longAnswer);

        assertThat(body.path("model").asText()).isEqualTo("judge-model");
        assertThat(body.path("temperature").asInt()).isZero();
        String user = body.path("messages").path(1).path("content").asText();
        assertThat(user).contains("what is the total?", "Reference answer:\n12 EUR", "Candidate answer:\n")
                .doesNotContain(longAnswer).endsWith("x [...]");
    }

    @Test
    void splitsFreeTextIntoRunsOfLettersAndNumbers() {
        assertThat(AnswerScorer.tokens("Total: 1,234.56 EUR!")).containsExactly("total", "1", "234", "56", "eur");
        assertThat(AnswerScorer.tokens("  -- ")).isEmpty();
        assertThat(AnswerScorer.tokens("")).isEmpty();
        // category N beyond digits (², Roman numerals), letters outside the BMP, emoji as separators
        assertThat(AnswerScorer.tokens("Café² Ⅻ 𝐀bc👍ok")).containsExactly("café²", "ⅻ", "𝐀bc", "ok");
    }

    /** The scan must split exactly as the regex it replaced, [^\p{L}\p{N}]+, on the lower-cased text. */
    @Test
    void splitsAsTheRegexOverAnyText() {
        java.util.regex.Pattern notAWord = java.util.regex.Pattern.compile("[^\\p{L}\\p{N}]+");
        java.util.Random random = new java.util.Random(42);
        String alphabet = "aZé9 ,.-_\t\n²Ⅻ𝐀👍ßİ\u0301日本";
        int[] codePoints = alphabet.codePoints().toArray();
        for (int run = 0; run < 2000; run++) {
            StringBuilder text = new StringBuilder();
            for (int i = random.nextInt(12); i > 0; i--) {
                text.appendCodePoint(codePoints[random.nextInt(codePoints.length)]);
            }
            String normalised = notAWord.matcher(text.toString().toLowerCase(java.util.Locale.ROOT)).replaceAll(" ")
                    .strip();
            List<String> expected = normalised.isEmpty() ? List.of() : List.of(normalised.split(" "));
            assertThat(AnswerScorer.tokens(text.toString())).as(text.toString()).isEqualTo(expected);
        }
    }
}
