package io.slmfleet.evaluation;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What an {@code evaluate} run ends with, as one line of JSON of at most {@link #MAX_BYTES} bytes: the EvaluationJob's
 * pod writes it with {@code --summary-file /dev/termination-log} (Kubernetes keeps 4096 bytes of a termination
 * message) and the reconciler reads it back with {@link #parse(String)}. Two shapes (docs/evaluation.md):
 *
 * <pre>
 * {"outcome":"Succeeded","examples":N,"skipped":N,"candidates":[{"name":..,"examples":..,"agree":..,"disagree":..,
 *   "invalid":..,"error":..,"referenceErrors":..,"agreement":x,"agreementLower":x,"agreementUpper":x,"meanScore":x,
 *   "invalidRate":x,"errorRate":x,"p50Ms":x,"p95Ms":x,"outputTokensPerSecond":x,"costPer1k":x}, ...],
 *   "recommendation":{"candidate":NAME or null,"reason":".."}}
 * {"outcome":"Failed","reason":R,"message":".."}
 * </pre>
 *
 * Figures are rounded to 4 significant digits (the agreement bounds outwards: lower floored, upper ceiled, never
 * narrower than computed); a figure that does not exist (no trial, no answer, no price, no usage) is {@code null}.
 * Candidates are in the order given on the command line. The recommendation's reason and the failure's message are
 * cut (ending with "…") so that the whole line fits; only past 8 candidates with 63-character names can even the
 * candidates not fit, and then the last ones are left out and {@code "omittedCandidates":K} says how many.
 *
 * @param outcome {@link #SUCCEEDED} or {@link #FAILED}
 * @param examples the examples evaluated; null when failed
 * @param skipped the data set's lines that could not be used; null when failed
 * @param candidates each candidate's figures, in the order given; empty when failed
 * @param omittedCandidates candidates left out of {@code candidates} for want of room (0 but past 8 long names)
 * @param recommendation null when failed
 * @param reason why it failed, one of the {@code REASON_} constants (another string from a newer command); null when
 *        succeeded
 * @param message what went wrong, for people; null when succeeded
 */
public record EvaluationSummary(String outcome, Long examples, Long skipped, List<CandidateSummary> candidates,
        int omittedCandidates, Recommendation recommendation, String reason, String message) {

    /** Kubernetes keeps at most this many bytes of a container's termination message. */
    public static final int MAX_BYTES = 4096;

    public static final String SUCCEEDED = "Succeeded";
    public static final String FAILED = "Failed";

    /** Exit 2: the arguments (an unknown option, a malformed --candidate, a price of an unknown candidate, ...). */
    public static final String REASON_INVALID_ARGUMENTS = "InvalidArguments";
    /** Exit 1: the --dataset file does not exist. */
    public static final String REASON_DATASET_NOT_FOUND = "DatasetNotFound";
    /** Exit 1: the --dataset cannot be read (a directory, an I/O error). */
    public static final String REASON_DATASET_UNREADABLE = "DatasetUnreadable";
    /** Exit 2: the data set has no non-blank line. */
    public static final String REASON_EMPTY_DATASET = "EmptyDataset";
    /** Exit 2: no line of the data set is a usable example. */
    public static final String REASON_NO_USABLE_EXAMPLE = "NoUsableExample";
    /** Exit 1: the --response-schema file cannot be read or is not JSON. */
    public static final String REASON_SCHEMA_UNREADABLE = "SchemaUnreadable";
    /** Exit 2: the --response-schema is JSON but not a schema that can be used. */
    public static final String REASON_UNUSABLE_RESPONSE_SCHEMA = "UnusableResponseSchema";
    /** Exit 2: an --api-key-env variable is unset, empty, or holds what an HTTP header cannot carry. */
    public static final String REASON_API_KEY_MISSING = "ApiKeyMissing";
    /** Exit 1: the --report file cannot be written. */
    public static final String REASON_REPORT_UNWRITABLE = "ReportUnwritable";

    public static final List<String> REASONS = List.of(REASON_INVALID_ARGUMENTS, REASON_DATASET_NOT_FOUND,
            REASON_DATASET_UNREADABLE, REASON_EMPTY_DATASET, REASON_NO_USABLE_EXAMPLE, REASON_SCHEMA_UNREADABLE,
            REASON_UNUSABLE_RESPONSE_SCHEMA, REASON_API_KEY_MISSING, REASON_REPORT_UNWRITABLE);

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String CUT = "…";

    /**
     * One candidate's figures. Rates are in [0, 1]; null where there is nothing to rate.
     *
     * @param examples comparisons made (examples asked), whatever their verdict
     * @param agree verdicts by kind, as the leaderboard counts them
     * @param referenceErrors examples whose reference failed the response schema (counted nowhere else)
     * @param agreement agree / (agree + disagree)
     * @param agreementLower its lower confidence bound (floored), what --min-agreement gates on
     * @param agreementUpper its upper confidence bound (ceiled)
     * @param meanScore the mean AnswerScorer score of the agree and disagree comparisons
     * @param invalidRate invalid / answered calls
     * @param errorRate errors / all calls
     * @param p50Ms latency of the answered calls, nearest rank, milliseconds
     * @param outputTokensPerSecond the answers' completion tokens over their latency (answers with usage only)
     * @param costPer1k USD per 1,000 requests; null without a price, or with a token price and no usage
     */
    public record CandidateSummary(String name, long examples, long agree, long disagree, long invalid, long error,
            long referenceErrors, Double agreement, Double agreementLower, Double agreementUpper, Double meanScore,
            Double invalidRate, Double errorRate, Double p50Ms, Double p95Ms, Double outputTokensPerSecond,
            Double costPer1k) {

        /** The figures as the summary holds them: 4 significant digits, the bounds outwards. */
        public CandidateSummary rounded() {
            return new CandidateSummary(name, examples, agree, disagree, invalid, error, referenceErrors,
                    round(agreement, RoundingMode.HALF_EVEN), round(agreementLower, RoundingMode.FLOOR),
                    round(agreementUpper, RoundingMode.CEILING), round(meanScore, RoundingMode.HALF_EVEN),
                    round(invalidRate, RoundingMode.HALF_EVEN), round(errorRate, RoundingMode.HALF_EVEN),
                    round(p50Ms, RoundingMode.HALF_EVEN), round(p95Ms, RoundingMode.HALF_EVEN),
                    round(outputTokensPerSecond, RoundingMode.HALF_EVEN), round(costPer1k, RoundingMode.HALF_EVEN));
        }
    }

    /** @param candidate the recommended candidate's name, or null when none is */
    public record Recommendation(String candidate, String reason) {
    }

    public static EvaluationSummary succeeded(long examples, long skipped, List<CandidateSummary> candidates,
            Recommendation recommendation) {
        return new EvaluationSummary(SUCCEEDED, examples, skipped,
                candidates.stream().map(CandidateSummary::rounded).toList(), 0, recommendation, null, null);
    }

    /** @param reason one of the {@code REASON_} constants */
    public static EvaluationSummary failed(String reason, String message) {
        return new EvaluationSummary(FAILED, null, null, List.of(), 0, null, reason, message);
    }

    public boolean isSucceeded() {
        return SUCCEEDED.equals(outcome);
    }

    /**
     * The exit code the command ends with for a failure reason: 2 when running again cannot help (the arguments, the
     * data set's content, the schema's, a missing key), 1 when it may (a file that cannot be read or written).
     */
    public static int exitCode(String reason) {
        return switch (reason) {
            case REASON_DATASET_NOT_FOUND, REASON_DATASET_UNREADABLE, REASON_SCHEMA_UNREADABLE,
                    REASON_REPORT_UNWRITABLE -> 1;
            default -> 2;
        };
    }

    /** The summary as one line of JSON of at most {@link #MAX_BYTES} UTF-8 bytes (no line break at the end). */
    public String toJson() {
        if (!isSucceeded()) {
            return fitted(text -> {
                ObjectNode json = MAPPER.createObjectNode().put("outcome", outcome).put("reason", reason);
                return json.put("message", text);
            }, message == null ? "" : message);
        }
        List<CandidateSummary> shown = new ArrayList<>(candidates);
        int omitted = omittedCandidates;
        while (true) {
            int left = omitted;
            List<CandidateSummary> these = List.copyOf(shown);
            String json = fitted(text -> succeededJson(these, left, text), recommendation.reason());
            if (json != null || shown.isEmpty()) {
                return json != null ? json : succeededJson(these, left, "").toString();
            }
            shown.remove(shown.size() - 1);
            omitted++;
        }
    }

    private ObjectNode succeededJson(List<CandidateSummary> shown, int omitted, String reasonText) {
        ObjectNode json = MAPPER.createObjectNode().put("outcome", outcome).put("examples", examples)
                .put("skipped", skipped);
        ArrayNode array = json.putArray("candidates");
        for (CandidateSummary c : shown) {
            ObjectNode node = array.addObject().put("name", c.name()).put("examples", c.examples())
                    .put("agree", c.agree()).put("disagree", c.disagree()).put("invalid", c.invalid())
                    .put("error", c.error()).put("referenceErrors", c.referenceErrors());
            number(node, "agreement", c.agreement(), RoundingMode.HALF_EVEN);
            number(node, "agreementLower", c.agreementLower(), RoundingMode.FLOOR);
            number(node, "agreementUpper", c.agreementUpper(), RoundingMode.CEILING);
            number(node, "meanScore", c.meanScore(), RoundingMode.HALF_EVEN);
            number(node, "invalidRate", c.invalidRate(), RoundingMode.HALF_EVEN);
            number(node, "errorRate", c.errorRate(), RoundingMode.HALF_EVEN);
            number(node, "p50Ms", c.p50Ms(), RoundingMode.HALF_EVEN);
            number(node, "p95Ms", c.p95Ms(), RoundingMode.HALF_EVEN);
            number(node, "outputTokensPerSecond", c.outputTokensPerSecond(), RoundingMode.HALF_EVEN);
            number(node, "costPer1k", c.costPer1k(), RoundingMode.HALF_EVEN);
        }
        if (omitted > 0) {
            json.put("omittedCandidates", omitted);
        }
        json.putObject("recommendation").put("candidate", recommendation.candidate()).put("reason", reasonText);
        return json;
    }

    /**
     * The JSON with as much of the text as fits in {@link #MAX_BYTES}, cut at a character and marked with "…";
     * null when not even an empty text fits.
     */
    private static String fitted(java.util.function.Function<String, ObjectNode> json, String text) {
        String whole = json.apply(text).toString();
        if (bytes(whole) <= MAX_BYTES) {
            return whole;
        }
        int[] codePoints = text.codePoints().toArray();
        int low = 0; // fits (checked below)
        int high = codePoints.length; // does not fit
        String shortest = json.apply(CUT).toString();
        if (bytes(shortest) > MAX_BYTES) {
            return null;
        }
        while (high - low > 1) {
            int middle = (low + high) >>> 1;
            if (bytes(json.apply(new String(codePoints, 0, middle) + CUT).toString()) <= MAX_BYTES) {
                low = middle;
            } else {
                high = middle;
            }
        }
        return json.apply(new String(codePoints, 0, low) + CUT).toString();
    }

    private static int bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }

    private static void number(ObjectNode node, String name, Double value, RoundingMode mode) {
        BigDecimal rounded = decimal(value, mode);
        if (rounded == null) {
            node.putNull(name);
        } else {
            node.put(name, rounded);
        }
    }

    /**
     * 4 significant digits in the given direction, without trailing zeros; null for null, NaN and infinities. The value
     * is first taken to 15 significant digits, so that rounding a figure already rounded (a double near 0.8381) gives it
     * back rather than floor it a step further.
     */
    static BigDecimal decimal(Double value, RoundingMode mode) {
        if (value == null || value.isNaN() || value.isInfinite()) {
            return null;
        }
        if (value == 0) {
            return BigDecimal.ZERO;
        }
        BigDecimal rounded = new BigDecimal(value).round(new MathContext(15, RoundingMode.HALF_EVEN))
                .round(new MathContext(4, mode)).stripTrailingZeros();
        return rounded.scale() < 0 ? rounded.setScale(0) : rounded;
    }

    static Double round(Double value, RoundingMode mode) {
        BigDecimal rounded = decimal(value, mode);
        return rounded == null ? null : rounded.doubleValue();
    }

    /**
     * Reads a summary back (a container's termination message). Lenient where a newer command may have added to it
     * (unknown fields, another reason), strict on what is there: a field of the wrong type, a count that is not a whole
     * number, or a missing required field make the whole unreadable.
     *
     * @return the summary, or empty when the text is not one (blank, cut, a log line, another program's message)
     */
    public static Optional<EvaluationSummary> parse(String text) {
        if (text == null || text.isBlank()) {
            return Optional.empty();
        }
        try {
            JsonNode json = MAPPER.readTree(text.strip());
            if (json == null || !json.isObject()) {
                return Optional.empty();
            }
            String outcome = json.path("outcome").asText(null);
            if (FAILED.equals(outcome)) {
                String reason = string(json, "reason", true);
                String message = string(json, "message", false);
                return Optional.of(new EvaluationSummary(FAILED, null, null, List.of(), 0, null, reason,
                        message == null ? "" : message));
            }
            if (!SUCCEEDED.equals(outcome) || !json.path("candidates").isArray()
                    || !json.path("recommendation").isObject()) {
                return Optional.empty();
            }
            List<CandidateSummary> candidates = new ArrayList<>();
            for (JsonNode c : json.get("candidates")) {
                if (!c.isObject()) {
                    return Optional.empty();
                }
                candidates.add(new CandidateSummary(string(c, "name", true), count(c, "examples"), count(c, "agree"),
                        count(c, "disagree"), count(c, "invalid"), count(c, "error"), count(c, "referenceErrors"),
                        figure(c, "agreement"), figure(c, "agreementLower"), figure(c, "agreementUpper"),
                        figure(c, "meanScore"), figure(c, "invalidRate"), figure(c, "errorRate"), figure(c, "p50Ms"),
                        figure(c, "p95Ms"), figure(c, "outputTokensPerSecond"), figure(c, "costPer1k")));
            }
            JsonNode recommendation = json.get("recommendation");
            JsonNode recommended = recommendation.path("candidate");
            if (!(recommended.isNull() || recommended.isTextual())) {
                return Optional.empty();
            }
            int omitted = json.has("omittedCandidates") ? Math.toIntExact(count(json, "omittedCandidates")) : 0;
            return Optional.of(new EvaluationSummary(SUCCEEDED, count(json, "examples"), count(json, "skipped"),
                    List.copyOf(candidates), omitted,
                    new Recommendation(recommended.isNull() ? null : recommended.asText(),
                            string(recommendation, "reason", true)), null, null));
        } catch (JsonProcessingException | Unreadable | ArithmeticException e) {
            return Optional.empty();
        }
    }

    private static final class Unreadable extends RuntimeException {
        Unreadable(String field) {
            super(field, null, false, false);
        }
    }

    private static String string(JsonNode node, String field, boolean required) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            if (required) {
                throw new Unreadable(field);
            }
            return null;
        }
        if (!value.isTextual()) {
            throw new Unreadable(field);
        }
        return value.asText();
    }

    private static long count(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isIntegralNumber() || !value.canConvertToLong() || value.asLong() < 0) {
            throw new Unreadable(field);
        }
        return value.asLong();
    }

    private static Double figure(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isNumber()) {
            throw new Unreadable(field);
        }
        return value.asDouble();
    }
}
