package io.slmfleet.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.math.RoundingMode;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;

import io.slmfleet.delegation.ConfidenceSequence;

/**
 * The evaluate command run in-process against fake candidates over HTTP on 127.0.0.1: one answers each example's
 * reference, one answers something else, one never answers within the timeout, one answers 503.
 */
class EvaluateCommandTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final List<HttpServer> servers = new ArrayList<>();
    private final ExecutorService serverThreads = Executors.newCachedThreadPool();
    /** The request bodies the agreeing candidate got. */
    private final ConcurrentLinkedQueue<JsonNode> received = new ConcurrentLinkedQueue<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();
    /** The environment the command reads API keys from. */
    private final Map<String, String> environment = new HashMap<>();

    @AfterEach
    void stopServers() {
        servers.forEach(server -> server.stop(0));
        serverThreads.shutdownNow();
    }

    /** Example i: the user asks to parse invoice INV-i, the teacher answered {"invoice":"INV-i","total":i}. */
    private static String example(int i) {
        ObjectNode example = MAPPER.createObjectNode();
        var messages = example.putArray("messages");
        messages.addObject().put("role", "system").put("content", "Extract the invoice as JSON.");
        messages.addObject().put("role", "user").put("content", "Parse invoice INV-" + i);
        messages.addObject().put("role", "assistant").put("content", reference(i));
        return example.toString();
    }

    private static String reference(int i) {
        return "{\"invoice\":\"INV-" + i + "\",\"total\":" + i + "}";
    }

    private static int invoiceOf(JsonNode request) {
        JsonNode messages = request.path("messages");
        String user = messages.get(messages.size() - 1).path("content").asText();
        return Integer.parseInt(user.substring(user.indexOf("INV-") + 4));
    }

    private Path dataset(int examples, String... extraLines) throws IOException {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < examples; i++) {
            lines.add(example(i));
        }
        lines.addAll(List.of(extraLines));
        return Files.write(dir.resolve("eval.jsonl"), lines);
    }

    /** A fake OpenAI-compatible server; the answer function gets the request body and returns the content. */
    private String candidate(String path, int status, long delayMillis, Function<JsonNode, String> content) throws IOException {
        return serve(path, status, delayMillis, content, null, null);
    }

    /**
     * @param usage the {@code usage} object every answer carries, or null for none
     * @param authorizations gets each request's Authorization header ("" without one), or null
     */
    private String serve(String path, int status, long delayMillis, Function<JsonNode, String> content,
            JsonNode usage, Queue<String> authorizations) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(serverThreads);
        server.createContext(path, exchange -> {
            int now = inFlight.incrementAndGet();
            maxInFlight.accumulateAndGet(now, Math::max);
            try {
                if (authorizations != null) {
                    String authorization = exchange.getRequestHeaders().getFirst("Authorization");
                    authorizations.add(authorization == null ? "" : authorization);
                }
                JsonNode request = MAPPER.readTree(exchange.getRequestBody().readAllBytes());
                if (delayMillis > 0) {
                    Thread.sleep(delayMillis);
                }
                ObjectNode completion = MAPPER.createObjectNode().put("object", "chat.completion");
                completion.putArray("choices").addObject().put("index", 0).put("finish_reason", "stop")
                        .putObject("message").put("role", "assistant").put("content", content.apply(request));
                if (usage != null) {
                    completion.set("usage", usage);
                }
                byte[] body = (status == 200 ? completion.toString() : "{\"error\":\"overloaded\"}")
                        .getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(status, body.length);
                exchange.getResponseBody().write(body);
            } catch (InterruptedException | IOException e) {
                // the client gave up (the timing-out candidate)
            } finally {
                inFlight.decrementAndGet();
                exchange.close();
            }
        });
        server.start();
        servers.add(server);
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    private static ObjectNode usage(int prompt, int completion) {
        return MAPPER.createObjectNode().put("prompt_tokens", prompt).put("completion_tokens", completion)
                .put("total_tokens", prompt + completion);
    }

    private String agreeing() throws IOException {
        return candidate("/v1/chat/completions", 200, 0, request -> {
            received.add(request);
            return reference(invoiceOf(request));
        });
    }

    private String disagreeing() throws IOException {
        return candidate("/v1/chat/completions", 200, 0, request -> "{\"invoice\":\"INV-x\",\"total\":-1}");
    }

    private int run(String... arguments) {
        return new EvaluateCommand(environment::get).run(List.of(arguments), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    /** The leaderboard line of one candidate, split on blanks. */
    private List<String> row(String candidate) {
        return out.toString(StandardCharsets.UTF_8).lines().filter(line -> line.startsWith(candidate + " "))
                .findFirst().map(line -> List.of(line.trim().split("\\s{2,}"))).orElseThrow();
    }

    /** The summary file: one line of at most 4096 bytes that reads back. */
    private static EvaluationSummary summary(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        assertThat(bytes.length).isLessThanOrEqualTo(EvaluationSummary.MAX_BYTES);
        String text = new String(bytes, StandardCharsets.UTF_8);
        assertThat(text).doesNotContain("\n");
        return EvaluationSummary.parse(text).orElseThrow(() -> new AssertionError("not a summary: " + text));
    }

    private static String down(double value) {
        return new java.math.BigDecimal(value).setScale(3, java.math.RoundingMode.FLOOR).toPlainString();
    }

    private static String up(double value) {
        return new java.math.BigDecimal(value).setScale(3, java.math.RoundingMode.CEILING).toPlainString();
    }

    @Test
    void scoresEachCandidateAgainstTheReferencesAndRecommendsTheFirstThatClearsTheGate() throws Exception {
        Path eval = dataset(30, "{\"messages\":[{\"role\":\"user\",\"content\":\"no answer recorded\"}]}",
                "not json");
        Path report = dir.resolve("report.jsonl");

        int exit = run("--dataset", eval.toString(), "--candidate", "wrong=" + disagreeing() + ",invoice-slm",
                "--candidate", "slow=" + candidate("/v1/chat/completions", 200, 2000, request -> "late"),
                "--candidate", "good=" + agreeing(), "--candidate", "down=" + candidate("/v1/chat/completions", 503, 0,
                        request -> ""),
                "--candidate", "also-good=" + candidate("/v1/chat/completions", 200, 0,
                        request -> reference(invoiceOf(request))),
                "--timeout-seconds", "0.3", "--concurrency", "6", "--min-agreement", "0.8", "--report",
                report.toString(), "--summary-file", dir.resolve("summary.json").toString());

        String stdout = out.toString(StandardCharsets.UTF_8);
        String stderr = err.toString(StandardCharsets.UTF_8);
        assertThat(exit).as(stderr).isZero();
        assertThat(stdout).startsWith("Evaluated 30 examples of " + eval + " against 5 candidates (2 lines skipped: "
                + "malformed 1, noReference 1); agreement threshold 0.9, confidence 0.95");
        assertThat(stderr).contains("evaluate: 2 lines skipped: malformed 1 (line 32), noReference 1 (line 31)",
                "evaluate: 150 of 150 calls done (100 %)");

        ConfidenceSequence.Interval all = ConfidenceSequence.of(30, 30, 0.95);
        ConfidenceSequence.Interval none = ConfidenceSequence.of(0, 30, 0.95);
        // examples, agree, disagree, invalid, error, agreement [lower,upper], mean score, error rate [upper],
        // invalid [upper], p50 ms, p95 ms, out tok/s, USD/1k
        assertThat(row("good").subList(1, 10)).containsExactly("30", "30", "0", "0", "0",
                "1.000 [" + down(all.lower()) + ",1.000]", "1.000", "0.000 [" + up(none.upper()) + "]",
                "0.000 [" + up(none.upper()) + "]");
        assertThat(row("good").subList(12, 14)).containsExactly("-", "-");
        assertThat(row("wrong").subList(1, 10)).containsExactly("30", "0", "30", "0", "0",
                "0.000 [0.000," + up(none.upper()) + "]", "0.000", "0.000 [" + up(none.upper()) + "]",
                "0.000 [" + up(none.upper()) + "]");
        // errors are never disagreement: no agreement figure at all, and no latency of an answer
        assertThat(row("also-good").subList(1, 3)).containsExactly("30", "30");
        assertThat(row("slow").subList(1, 14)).containsExactly("30", "0", "0", "0", "30", "- [0.000,1.000]", "-",
                "1.000 [1.000]", "- [1.000]", "-", "-", "-", "-");
        assertThat(row("down").subList(1, 10)).containsExactly("30", "0", "0", "0", "30", "- [0.000,1.000]", "-",
                "1.000 [1.000]", "- [1.000]");
        assertThat(Double.parseDouble(row("good").get(10))).isPositive();
        assertThat(Double.parseDouble(row("good").get(11))).isGreaterThanOrEqualTo(Double.parseDouble(row("good").get(10)));
        assertThat(all.lower()).isGreaterThan(0.8);
        // no prices: the first listed of those that clear
        assertThat(stdout).contains("Recommendation: good, first listed of 2 candidates whose agreement lower bound "
                + "clears 0.8, none with a known cost");

        // the candidates got the messages before the reference, the model of the example or "default"
        assertThat(received).hasSize(30).allSatisfy(request -> {
            assertThat(request.path("model").asText()).isEqualTo("default");
            assertThat(request.path("messages")).hasSize(2);
            assertThat(request.path("messages").get(1).path("role").asText()).isEqualTo("user");
            assertThat(request.path("stream").asBoolean(true)).isFalse();
        });

        List<JsonNode> lines = new ArrayList<>();
        for (String line : Files.readAllLines(report)) {
            lines.add(MAPPER.readTree(line));
        }
        assertThat(lines).hasSize(152);
        JsonNode first = lines.get(0);
        assertThat(first.path("line").asInt()).isEqualTo(1);
        assertThat(lines.subList(0, 5)).extracting(line -> line.path("candidate").asText())
                .containsExactly("wrong", "slow", "good", "down", "also-good");
        assertThat(lines.subList(0, 5)).extracting(line -> line.path("verdict").asText())
                .containsExactly("disagree", "candidate_error", "agree", "candidate_error", "agree");
        assertThat(lines.get(0).path("score").asDouble()).isZero();
        assertThat(lines.get(1).path("error").asText()).startsWith("timeout: ");
        assertThat(lines.get(1).path("score").isNull()).isTrue();
        assertThat(lines.get(2).path("score").asDouble()).isEqualTo(1.0);
        assertThat(lines.get(3).path("error").asText()).isEqualTo("status_5xx: answered 503");
        assertThat(lines.get(150).toString()).isEqualTo("{\"line\":31,\"skipped\":\"noReference\"}");
        assertThat(lines.get(151).toString()).isEqualTo("{\"line\":32,\"skipped\":\"malformed\"}");

        EvaluationSummary summary = summary(dir.resolve("summary.json"));
        assertThat(summary.outcome()).isEqualTo(EvaluationSummary.SUCCEEDED);
        assertThat(summary.examples()).isEqualTo(30);
        assertThat(summary.skipped()).isEqualTo(2);
        assertThat(summary.candidates()).extracting(EvaluationSummary.CandidateSummary::name)
                .containsExactly("wrong", "slow", "good", "down", "also-good");
        EvaluationSummary.CandidateSummary good = summary.candidates().get(2);
        assertThat(List.of(good.examples(), good.agree(), good.disagree(), good.invalid(), good.error(),
                good.referenceErrors())).containsExactly(30L, 30L, 0L, 0L, 0L, 0L);
        assertThat(good.agreement()).isEqualTo(1.0);
        assertThat(good.agreementLower()).isEqualTo(EvaluationSummary.round(all.lower(), RoundingMode.FLOOR))
                .isLessThanOrEqualTo(all.lower()).isCloseTo(all.lower(), within(1e-4));
        assertThat(good.agreementUpper()).isEqualTo(1.0);
        assertThat(good.meanScore()).isEqualTo(1.0);
        assertThat(good.errorRate()).isZero();
        assertThat(good.invalidRate()).isZero();
        assertThat(good.p50Ms()).isPositive();
        assertThat(good.p95Ms()).isGreaterThanOrEqualTo(good.p50Ms());
        assertThat(good.outputTokensPerSecond()).isNull();
        assertThat(good.costPer1k()).isNull();
        EvaluationSummary.CandidateSummary slow = summary.candidates().get(1);
        assertThat(slow.error()).isEqualTo(30);
        assertThat(slow.errorRate()).isEqualTo(1.0);
        assertThat(Arrays.asList(slow.agreement(), slow.meanScore(), slow.invalidRate(), slow.p50Ms(), slow.p95Ms()))
                .containsOnlyNulls();
        assertThat(slow.agreementLower()).isZero();
        assertThat(slow.agreementUpper()).isEqualTo(1.0);
        assertThat(summary.recommendation()).isEqualTo(new EvaluationSummary.Recommendation("good",
                "first listed of 2 candidates whose agreement lower bound clears 0.8, none with a known cost"));
    }

    @Test
    void theCandidatesModelIsAskedForAndNoCandidateClearsAGateAboveItsLowerBound() throws Exception {
        Path eval = dataset(10);
        String good = agreeing();

        int exit = run("--dataset", eval.toString(), "--candidate", "good=" + good + "/,invoice-slm",
                "--max-examples", "4");

        assertThat(exit).as(err.toString()).isZero();
        assertThat(received).hasSize(4).allSatisfy(request ->
                assertThat(request.path("model").asText()).isEqualTo("invoice-slm"));
        // 4 of 4 agree, but 4 examples bound the rate far below 0.95
        assertThat(ConfidenceSequence.of(4, 4, 0.95).lower()).isLessThan(0.95);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("Evaluated 4 examples",
                "Recommendation: none: no candidate's agreement lower bound clears 0.95 (best: good at "
                        + down(ConfidenceSequence.of(4, 4, 0.95).lower()) + ")");
    }

    @Test
    void atMostConcurrencyCallsAreInFlight() throws Exception {
        Path eval = dataset(12);
        String slowish = candidate("/v1/chat/completions", 200, 150, request -> reference(invoiceOf(request)));
        maxInFlight.set(0);

        int exit = run("--dataset", eval.toString(), "--candidate", "a=" + slowish, "--concurrency", "3");

        assertThat(exit).as(err.toString()).isZero();
        assertThat(row("a").subList(1, 3)).containsExactly("12", "12");
        assertThat(maxInFlight.get()).isBetween(2, 3);
    }

    @Test
    void anAnswerThatFailsTheResponseSchemaIsInvalidNotADisagreement() throws Exception {
        Path eval = dataset(5);
        Path schema = Files.writeString(dir.resolve("schema.json"),
                "{\"type\":\"object\",\"required\":[\"invoice\",\"total\"]}");

        int exit = run("--dataset", eval.toString(), "--candidate", "prose=" + candidate("/v1/chat/completions", 200, 0,
                request -> "The total is " + invoiceOf(request)), "--candidate", "good=" + agreeing(),
                "--response-schema", schema.toString());

        assertThat(exit).as(err.toString()).isZero();
        ConfidenceSequence.Interval none = ConfidenceSequence.of(0, 5, 0.95);
        assertThat(row("prose").subList(1, 10)).containsExactly("5", "0", "0", "5", "0", "- [0.000,1.000]", "-",
                "0.000 [" + up(none.upper()) + "]", "1.000 [1.000]");
        assertThat(row("good").subList(1, 6)).containsExactly("5", "5", "0", "0", "0");
    }

    @Test
    void badInputIsRefusedWithAReasonAndANonZeroExit() throws Exception {
        String good = agreeing();
        Path eval = dataset(3);

        assertThat(run("--dataset", dir.resolve("missing.jsonl").toString(), "--candidate", "good=" + good))
                .isEqualTo(1);
        assertThat(err.toString()).contains("evaluate: the dataset " + dir.resolve("missing.jsonl")
                + " does not exist");

        Path directory = Files.createDirectory(dir.resolve("a-directory"));
        assertThat(run("--dataset", directory.toString(), "--candidate", "good=" + good)).isEqualTo(1);
        assertThat(err.toString()).contains("evaluate: cannot read the dataset " + directory);

        Path empty = Files.writeString(dir.resolve("empty.jsonl"), "\n\n");
        assertThat(run("--dataset", empty.toString(), "--candidate", "good=" + good)).isEqualTo(2);
        assertThat(err.toString()).contains("evaluate: the dataset " + empty + " is empty");

        Path noReference = Files.writeString(dir.resolve("no-reference.jsonl"),
                "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}\n"
                        + "{\"messages\":[{\"role\":\"assistant\",\"content\":\"nothing asked\"}]}\n");
        assertThat(run("--dataset", noReference.toString(), "--candidate", "good=" + good)).isEqualTo(2);
        assertThat(err.toString()).contains("evaluate: 2 lines skipped: noReference 2 (lines 1, 2)",
                "evaluate: no example of " + noReference + " can be evaluated");

        assertThat(run("--dataset", eval.toString(), "--candidate", "good=" + good, "--candidate", "good=" + good))
                .isEqualTo(2);
        assertThat(err.toString()).contains("evaluate: candidate good is given twice", "usage: evaluate");

        for (String malformed : List.of("good", "=http://127.0.0.1:1/v1", "good=ftp://127.0.0.1/v1",
                "good=not a url", "good=http://127.0.0.1:1/v1,", "go od=http://127.0.0.1:1/v1")) {
            err.reset();
            assertThat(run("--dataset", eval.toString(), "--candidate", malformed)).as(malformed).isEqualTo(2);
            assertThat(err.toString()).as(malformed).contains("evaluate: malformed --candidate " + malformed + ": ",
                    "(expected NAME=URL[,MODEL])");
        }

        err.reset();
        assertThat(run("--dataset", eval.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("at least one --candidate is required");
        assertThat(run("--candidate", "good=" + good)).isEqualTo(2);
        assertThat(err.toString()).contains("--dataset is required");
        assertThat(run("--dataset", eval.toString(), "--candidate", "good=" + good, "--confidence", "1"))
                .isEqualTo(2);
        assertThat(err.toString()).contains("invalid value for --confidence: 1");
        assertThat(received).isEmpty();
        assertThat(out.toString()).isEmpty();
    }

    private static final String CHAT = "/v1/chat/completions";

    private String agreeingWith(JsonNode usage, Queue<String> authorizations) throws IOException {
        return serve(CHAT, 200, 0, request -> reference(invoiceOf(request)), usage, authorizations);
    }

    @Test
    void theApiKeyGoesToItsCandidateOnlyAndNowhereElse() throws Exception {
        Path eval = dataset(5);
        Queue<String> teacherHeaders = new ConcurrentLinkedQueue<>();
        Queue<String> slmHeaders = new ConcurrentLinkedQueue<>();
        String teacher = agreeingWith(null, teacherHeaders);
        String slm = agreeingWith(null, slmHeaders);
        // as a Secret written with echo holds it: the line break is not part of the key
        environment.put("TEACHER_API_KEY", "sk-very-secret-4711\n");
        Path report = dir.resolve("report.jsonl");
        Path summary = dir.resolve("summary.json");

        // given before the candidate it names: the order of the options does not matter
        int exit = run("--api-key-env", "teacher=TEACHER_API_KEY", "--dataset", eval.toString(), "--candidate",
                "slm=" + slm, "--candidate", "teacher=" + teacher, "--report", report.toString(), "--summary-file",
                summary.toString());

        assertThat(exit).as(err.toString()).isZero();
        assertThat(teacherHeaders).hasSize(5).containsOnly("Bearer sk-very-secret-4711");
        assertThat(slmHeaders).hasSize(5).containsOnly("");
        for (String written : List.of(out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8),
                Files.readString(report), Files.readString(summary))) {
            assertThat(written).doesNotContain("sk-very-secret");
        }
        assertThat(summary(summary).candidates()).extracting(EvaluationSummary.CandidateSummary::agree)
                .containsExactly(5L, 5L);
    }

    @Test
    void aMissingEmptyOrUnusableKeyFailsBeforeAnyCallWithoutTellingTheValue() throws Exception {
        Path eval = dataset(3);
        String good = agreeing();
        Path summary = dir.resolve("summary.json");
        Map<String, String> keys = new java.util.LinkedHashMap<>();
        keys.put("unset", null);
        keys.put("empty", "");
        keys.put("blank", " \n");
        keys.put("a control character", "sk-bad\u0007secret");
        keys.put("non-ASCII", "sk-bad-sécret");
        for (Map.Entry<String, String> key : keys.entrySet()) {
            environment.clear();
            if (key.getValue() != null) {
                environment.put("GOOD_KEY", key.getValue());
            }
            err.reset();

            int exit = run("--dataset", eval.toString(), "--candidate", "good=" + good, "--api-key-env",
                    "good=GOOD_KEY", "--summary-file", summary.toString());

            assertThat(exit).as(key.getKey()).isEqualTo(2);
            EvaluationSummary failed = summary(summary);
            assertThat(failed.outcome()).isEqualTo(EvaluationSummary.FAILED);
            assertThat(failed.reason()).as(key.getKey()).isEqualTo(EvaluationSummary.REASON_API_KEY_MISSING);
            assertThat(failed.message()).as(key.getKey())
                    .startsWith("the environment variable GOOD_KEY (--api-key-env of candidate good)")
                    .doesNotContain("secret");
            assertThat(err.toString(StandardCharsets.UTF_8)).contains("evaluate: " + failed.message())
                    .doesNotContain("secret");
        }
        assertThat(received).isEmpty();
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void aGpuPricedCandidateCostsLessPerRequestWithMoreCallsInFlight() throws Exception {
        Path eval = dataset(16);
        // every answer takes 200 ms; 36 USD an hour is 0.01 USD a second
        String fixed = candidate(CHAT, 200, 200, request -> reference(invoiceOf(request)));
        Path summary = dir.resolve("summary.json");

        int exit = run("--dataset", eval.toString(), "--candidate", "slm=" + fixed, "--gpu-price", "slm=36",
                "--concurrency", "1", "--max-examples", "6", "--summary-file", summary.toString());

        assertThat(exit).as(err.toString()).isZero();
        // one call at a time: each costs 0.2 s of the hour's price, 0.002 USD, 2 USD per 1k (more by the overhead)
        double alone = summary(summary).candidates().get(0).costPer1k();
        assertThat(alone).isBetween(2.0, 2.5);
        assertThat(Double.parseDouble(row("slm").get(13))).isCloseTo(alone, within(0.01));
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("slm: 36 USD/h over 1.00 answered calls in flight");

        out.reset();
        exit = run("--dataset", eval.toString(), "--candidate", "slm=" + fixed, "--gpu-price", "slm=36",
                "--concurrency", "4", "--summary-file", summary.toString());

        assertThat(exit).as(err.toString()).isZero();
        // four at a time: each call still takes 0.2 s, but four share the price of that time
        double shared = summary(summary).candidates().get(0).costPer1k();
        assertThat(shared).isBetween(alone / 4.5, alone / 3);
        assertThat(out.toString(StandardCharsets.UTF_8)).containsPattern("slm: 36 USD/h over 3\\.[5-9]\\d|4\\.00 "
                + "answered calls in flight");
    }

    private static EvaluateCommand.Outcome call(long startMillis, long endMillis) {
        return new EvaluateCommand.Outcome(null, null, io.slmfleet.router.shadow.Verdict.agree, 1, startMillis * 1_000_000,
                (endMillis - startMillis) * 1_000_000, null, null);
    }

    @Test
    void callsInFlightAreTheirTimeAverageOverTheTimeAtLeastOneWas() {
        // 30 ms of calls over the 25 ms some were in flight (0-15 and 20-30; the gap 15-20 is not counted)
        assertThat(EvaluateCommand.meanInFlight(List.of(call(20, 30), call(0, 10), call(5, 15)))).isCloseTo(1.2,
                within(1e-12));
        assertThat(EvaluateCommand.meanInFlight(List.of(call(0, 10), call(0, 10), call(0, 10), call(0, 10))))
                .isEqualTo(4.0);
        assertThat(EvaluateCommand.meanInFlight(List.of(call(0, 10), call(10, 20)))).isEqualTo(1.0);
        assertThat(EvaluateCommand.meanInFlight(List.of())).isNaN();

        // four calls of 200 ms at once at 36 USD an hour: 0.01 USD/s x 0.2 s / 4 = 0.0005 USD a request
        EvaluateArguments.Candidate gpu = new EvaluateArguments.Candidate("slm", java.net.URI.create("http://x/v1"),
                null, null, 36.0, null);
        List<EvaluateCommand.Outcome> four = List.of(call(0, 200), call(0, 200), call(0, 200), call(0, 200));
        EvaluateCommand.Figures figures = EvaluateCommand.Figures.of(gpu, four, 0.95);
        assertThat(figures.meanInFlight()).isEqualTo(4.0);
        assertThat(figures.costPerRequest()).isCloseTo(0.0005, within(1e-15));
        assertThat(figures.costPer1k()).isCloseTo(0.5, within(1e-12));
        // the same four one after another: 0.002 USD each
        List<EvaluateCommand.Outcome> serial = List.of(call(0, 200), call(200, 400), call(400, 600), call(600, 800));
        assertThat(EvaluateCommand.Figures.of(gpu, serial, 0.95).costPer1k()).isCloseTo(2.0, within(1e-12));
    }

    @Test
    void aTokenPricedCandidateCostsItsAnswersTokensAndWithoutUsageItsCostIsUnknown() throws Exception {
        Path eval = dataset(4);
        String teacher = serve(CHAT, 200, 50, request -> reference(invoiceOf(request)), usage(1000, 200), null);
        String plain = agreeingWith(null, null);
        Path report = dir.resolve("report.jsonl");
        Path summary = dir.resolve("summary.json");

        int exit = run("--dataset", eval.toString(), "--candidate", "teacher=" + teacher, "--token-price",
                "teacher=3,15", "--candidate", "plain=" + plain, "--token-price", "plain=3,15", "--report",
                report.toString(), "--summary-file", summary.toString());

        assertThat(exit).as(err.toString()).isZero();
        // (1000 x 3 + 200 x 15) / 1e6 = 0.006 USD a request, 6 USD per 1k
        EvaluationSummary.CandidateSummary priced = summary(summary).candidates().get(0);
        assertThat(priced.costPer1k()).isEqualTo(6.0);
        assertThat(row("teacher").get(13)).isEqualTo("6.00");
        // 200 tokens an answer, each answer at least 50 ms: at most 4000 tokens a second
        assertThat(priced.outputTokensPerSecond()).isPositive().isLessThanOrEqualTo(4000.0);
        assertThat(Double.parseDouble(row("teacher").get(12))).isCloseTo(priced.outputTokensPerSecond(),
                within(priced.outputTokensPerSecond() * 1e-3 + 0.05));

        EvaluationSummary.CandidateSummary unknown = summary(summary).candidates().get(1);
        assertThat(unknown.costPer1k()).isNull();
        assertThat(unknown.outputTokensPerSecond()).isNull();
        assertThat(row("plain").subList(12, 14)).containsExactly("-", "-");
        assertThat(out.toString(StandardCharsets.UTF_8)).contains(
                "  plain: cost unknown, --token-price, but no answer carried usage (prompt_tokens, completion_tokens)");

        List<JsonNode> lines = new ArrayList<>();
        for (String line : Files.readAllLines(report)) {
            lines.add(MAPPER.readTree(line));
        }
        assertThat(lines).hasSize(8).allSatisfy(line -> {
            if (line.path("candidate").asText().equals("teacher")) {
                assertThat(line.path("inputTokens").asLong()).isEqualTo(1000);
                assertThat(line.path("outputTokens").asLong()).isEqualTo(200);
            } else {
                assertThat(line.has("inputTokens") || line.has("outputTokens")).isFalse();
            }
        });
    }

    /** Agrees on every example but those given, where it answers a wrong total. */
    private String agreeingBut(JsonNode usage, int... wrong) throws IOException {
        return serve(CHAT, 200, 0, request -> {
            int invoice = invoiceOf(request);
            return Arrays.stream(wrong).anyMatch(w -> w == invoice) ? "{\"invoice\":\"INV-" + invoice
                    + "\",\"total\":-1}" : reference(invoice);
        }, usage, null);
    }

    @Test
    void theCheapestThatClearsTheGateIsRecommendedNeverACheaperOneThatFails() throws Exception {
        Path eval = dataset(30);
        ConfidenceSequence.Interval all = ConfidenceSequence.of(30, 30, 0.95);
        ConfidenceSequence.Interval allButOne = ConfidenceSequence.of(29, 30, 0.95);
        assertThat(allButOne.lower()).isGreaterThanOrEqualTo(0.7).isLessThan(all.lower());
        Path summary = dir.resolve("summary.json");

        int exit = run("--dataset", eval.toString(), "--min-agreement", "0.7",
                // clears the gate, listed first, but has no price: ranks after every priced one
                "--candidate", "unpriced=" + agreeingWith(usage(100, 100), null),
                // agrees on all 30, the best lower bound, but (100 x 10 + 100 x 30) / 1e6 = 0.004 USD a request
                "--candidate", "best=" + agreeingWith(usage(100, 100), null), "--token-price", "best=10,30",
                // 29 of 30: still clears 0.7, at (100 x 1 + 100 x 2) / 1e6 = 0.0003 USD a request
                "--candidate", "cheap=" + agreeingBut(usage(100, 100), 7), "--token-price", "cheap=1,2",
                // free, and never right
                "--candidate", "free=" + disagreeing(), "--gpu-price", "free=0",
                "--summary-file", summary.toString());

        assertThat(exit).as(err.toString()).isZero();
        String reason = "cheapest (0.300 USD per 1k requests) of 3 candidates whose agreement lower bound clears 0.7; "
                + "cost unknown for unpriced";
        assertThat(summary(summary).recommendation()).isEqualTo(new EvaluationSummary.Recommendation("cheap", reason));
        assertThat(summary(summary).candidates()).extracting(EvaluationSummary.CandidateSummary::costPer1k)
                .containsExactly(null, 4.0, 0.3, 0.0);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("Recommendation: cheap, " + reason,
                "  cost unknown (no --gpu-price or --token-price): unpriced");
        assertThat(row("free").get(13)).isEqualTo("0.000");

        // without the cheap one, the unpriced one still ranks after the dear one
        out.reset();
        run("--dataset", eval.toString(), "--min-agreement", "0.7",
                "--candidate", "unpriced=" + agreeingWith(null, null),
                "--candidate", "best=" + agreeingWith(usage(100, 100), null), "--token-price", "best=10,30",
                "--summary-file", summary.toString());
        assertThat(summary(summary).recommendation().candidate()).isEqualTo("best");
    }

    @Test
    void tiesOnCostGoToTheHigherLowerBoundThenToTheFirstListed() throws Exception {
        Path eval = dataset(30);
        Path summary = dir.resolve("summary.json");

        int exit = run("--dataset", eval.toString(), "--min-agreement", "0.7",
                "--candidate", "twin-a=" + agreeingBut(usage(100, 100), 3), "--token-price", "twin-a=1,1",
                "--candidate", "twin-b=" + agreeingWith(usage(100, 100), null), "--token-price", "twin-b=1,1",
                "--candidate", "twin-c=" + agreeingWith(usage(100, 100), null), "--token-price", "twin-c=1,1",
                "--summary-file", summary.toString());

        assertThat(exit).as(err.toString()).isZero();
        // all cost (100 + 100) / 1e6 a request; b's lower bound is above a's, c's equals b's and c is listed after
        assertThat(summary(summary).recommendation()).isEqualTo(new EvaluationSummary.Recommendation("twin-b",
                "cheapest (0.200 USD per 1k requests) of 3 candidates whose agreement lower bound clears 0.7; "
                        + "as cheap as twin-c and as sure, listed first"));
    }

    @Test
    void noneIsRecommendedWhenNoneClearsAndTheReasonSaysWhichErredOnEveryCall() throws Exception {
        Path eval = dataset(10);
        Path summary = dir.resolve("summary.json");

        int exit = run("--dataset", eval.toString(), "--candidate", "down=" + candidate(CHAT, 503, 0, r -> ""),
                "--candidate", "b=" + agreeingBut(null, 1), "--candidate", "c=" + disagreeing(),
                "--gpu-price", "c=0", "--summary-file", summary.toString());

        assertThat(exit).as(err.toString()).isZero();
        String reason = "none: no candidate's agreement lower bound clears 0.95 (best: b at "
                + down(ConfidenceSequence.of(9, 10, 0.95).lower()) + "; down erred on every call)";
        assertThat(summary(summary).recommendation()).isEqualTo(new EvaluationSummary.Recommendation(null, reason));
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("Recommendation: " + reason);
    }

    @Test
    void pricesAndKeysOfUnknownCandidatesAndTwoPricesForOneAreUsageErrors() throws Exception {
        Path eval = dataset(3);
        String good = agreeing();
        Path summary = dir.resolve("summary.json");
        Map<List<String>, String> cases = new java.util.LinkedHashMap<>();
        cases.put(List.of("--api-key-env", "ghost=KEY"), "--api-key-env names unknown candidate ghost");
        cases.put(List.of("--gpu-price", "ghost=2"), "--gpu-price names unknown candidate ghost");
        cases.put(List.of("--token-price=ghost=1,2"), "--token-price names unknown candidate ghost");
        cases.put(List.of("--gpu-price", "good=2", "--token-price", "good=1,2"),
                "candidate good has both --gpu-price and --token-price");
        cases.put(List.of("--gpu-price", "good=cheap"), "invalid value for --gpu-price: good=cheap (expected "
                + "NAME=USD_PER_HOUR)");
        cases.put(List.of("--gpu-price", "good=-1"), "invalid value for --gpu-price: good=-1");
        cases.put(List.of("--token-price", "good=1"), "invalid value for --token-price: good=1 (expected NAME=IN,OUT");
        cases.put(List.of("--api-key-env", "good=NOT-A-NAME"), "invalid value for --api-key-env: good=NOT-A-NAME");
        cases.put(List.of("--gpu-price", "good=1", "--gpu-price", "good=2"),
                "--gpu-price is given twice for candidate good");
        for (Map.Entry<List<String>, String> c : cases.entrySet()) {
            err.reset();
            List<String> arguments = new ArrayList<>(List.of("--dataset", eval.toString(), "--candidate",
                    "good=" + good, "--summary-file", summary.toString()));
            arguments.addAll(c.getKey());

            assertThat(run(arguments.toArray(String[]::new))).as(c.getKey().toString()).isEqualTo(2);
            assertThat(err.toString()).as(c.getKey().toString()).contains("evaluate: " + c.getValue(),
                    "usage: evaluate");
            EvaluationSummary failed = summary(summary);
            assertThat(failed.reason()).isEqualTo(EvaluationSummary.REASON_INVALID_ARGUMENTS);
            assertThat(failed.message()).startsWith(c.getValue());
        }
        assertThat(received).isEmpty();
    }

    private static String longName(int i) {
        return ("candidate-" + i + "-of-eight-with-a-name-as-long-as-kubernetes-allows-").repeat(2).substring(0, 63);
    }

    @Test
    void theSummaryOfEightLongNamedCandidatesFitsATerminationMessage() throws Exception {
        Path eval = dataset(3);
        String down = candidate(CHAT, 503, 0, request -> "");
        String good = agreeingWith(usage(1234, 567), null);
        List<String> arguments = new ArrayList<>(List.of("--dataset", eval.toString(), "--concurrency", "8",
                "--summary-file", dir.resolve("summary.json").toString()));
        for (int i = 0; i < 8; i++) {
            arguments.addAll(List.of("--candidate", longName(i) + "=" + (i < 7 ? down : good)));
            arguments.addAll(List.of(i % 2 == 0 ? "--gpu-price" : "--token-price",
                    longName(i) + (i % 2 == 0 ? "=3.14159" : "=2.5,10")));
        }

        assertThat(run(arguments.toArray(String[]::new))).as(err.toString()).isZero();

        EvaluationSummary summary = summary(dir.resolve("summary.json"));
        assertThat(summary.candidates()).hasSize(8).extracting(EvaluationSummary.CandidateSummary::name)
                .allSatisfy(name -> assertThat(name).hasSize(63));
        assertThat(summary.omittedCandidates()).isZero();
        // seven long names erring on every call, the reason told as much as fits
        assertThat(summary.recommendation().candidate()).isNull();
        assertThat(summary.recommendation().reason()).startsWith("none: no candidate's agreement lower bound clears")
                .contains(longName(0));

        // the figures at their longest, and a reason far beyond the room left: cut, never the candidates
        List<EvaluationSummary.CandidateSummary> longest = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            longest.add(new EvaluationSummary.CandidateSummary(longName(i), 9_999_999, 9_999_999, 9_999_999,
                    9_999_999, 9_999_999, 9_999_999, 0.000123456, 0.000123456, 0.000123456, 0.000123456,
                    0.000123456, 0.000123456, 12_345_678.9, 12_345_678.9, 0.000123456, 0.000123456));
        }
        String json = EvaluationSummary.succeeded(9_999_999, 9_999_999, longest,
                new EvaluationSummary.Recommendation(longName(3), "because ".repeat(1000))).toJson();
        assertThat(json.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(EvaluationSummary.MAX_BYTES);
        EvaluationSummary read = EvaluationSummary.parse(json).orElseThrow();
        assertThat(read.candidates()).hasSize(8);
        assertThat(read.recommendation().reason()).startsWith("because because").endsWith("…");

        // past eight, the last candidates are left out and counted
        List<EvaluationSummary.CandidateSummary> twelve = new ArrayList<>(longest);
        twelve.addAll(longest.subList(0, 4));
        String crowded = EvaluationSummary.succeeded(1, 0, twelve, new EvaluationSummary.Recommendation(null, "none"))
                .toJson();
        assertThat(crowded.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(EvaluationSummary.MAX_BYTES);
        EvaluationSummary some = EvaluationSummary.parse(crowded).orElseThrow();
        assertThat(some.candidates().size() + some.omittedCandidates()).isEqualTo(12);
        assertThat(some.omittedCandidates()).isPositive();
    }

    @Test
    void aLongFailureMessageIsCutToFitAtACharacter() throws Exception {
        Path eval = dataset(1);
        Path summary = dir.resolve("summary.json");
        // two bytes a character in UTF-8: a cut in the middle of one would not be UTF-8
        String option = "--" + "ü".repeat(3000);

        assertThat(run("--dataset", eval.toString(), "--candidate", "good=http://127.0.0.1:1/v1", option, "1",
                "--summary-file", summary.toString())).isEqualTo(2);

        byte[] bytes = Files.readAllBytes(summary);
        assertThat(bytes.length).isLessThanOrEqualTo(EvaluationSummary.MAX_BYTES).isGreaterThan(4000);
        assertThat(StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString())
                .endsWith("ü…\"}");
        EvaluationSummary failed = summary(summary);
        assertThat(failed.reason()).isEqualTo(EvaluationSummary.REASON_INVALID_ARGUMENTS);
        assertThat(failed.message()).startsWith("unknown option --üü").endsWith("…");
    }

    @Test
    void everyFailureIsWrittenToTheSummaryWithItsReasonAndExitCode() throws Exception {
        String good = agreeing();
        Path eval = dataset(3);
        Path summary = dir.resolve("summary.json");
        Path directory = Files.createDirectory(dir.resolve("a-directory"));
        Path empty = Files.writeString(dir.resolve("empty.jsonl"), "\n");
        Path noReference = Files.writeString(dir.resolve("no-reference.jsonl"),
                "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}\n");
        Path unusable = Files.writeString(dir.resolve("schema.json"), "[1, 2]");
        record Case(String reason, int exit, List<String> arguments) {
        }
        List<Case> cases = List.of(
                new Case(EvaluationSummary.REASON_INVALID_ARGUMENTS, 2, List.of("--dataset", eval.toString(),
                        "--candidate", "good=" + good, "--confidence", "1")),
                new Case(EvaluationSummary.REASON_DATASET_NOT_FOUND, 1, List.of("--dataset",
                        dir.resolve("missing.jsonl").toString(), "--candidate", "good=" + good)),
                new Case(EvaluationSummary.REASON_DATASET_UNREADABLE, 1, List.of("--dataset", directory.toString(),
                        "--candidate", "good=" + good)),
                new Case(EvaluationSummary.REASON_EMPTY_DATASET, 2, List.of("--dataset", empty.toString(),
                        "--candidate", "good=" + good)),
                new Case(EvaluationSummary.REASON_NO_USABLE_EXAMPLE, 2, List.of("--dataset", noReference.toString(),
                        "--candidate", "good=" + good)),
                new Case(EvaluationSummary.REASON_SCHEMA_UNREADABLE, 1, List.of("--dataset", eval.toString(),
                        "--candidate", "good=" + good, "--response-schema", dir.resolve("no-schema.json").toString())),
                new Case(EvaluationSummary.REASON_UNUSABLE_RESPONSE_SCHEMA, 2, List.of("--dataset", eval.toString(),
                        "--candidate", "good=" + good, "--response-schema", unusable.toString())),
                new Case(EvaluationSummary.REASON_API_KEY_MISSING, 2, List.of("--dataset", eval.toString(),
                        "--candidate", "good=" + good, "--api-key-env", "good=NOT_SET_ANYWHERE")),
                new Case(EvaluationSummary.REASON_REPORT_UNWRITABLE, 1, List.of("--dataset", eval.toString(),
                        "--candidate", "good=" + good, "--report", directory.toString())));
        assertThat(cases).extracting(Case::reason).containsExactlyInAnyOrderElementsOf(EvaluationSummary.REASONS);
        for (Case c : cases) {
            // what a previous run (or the kubelet) left there is replaced
            Files.writeString(summary, "left over from before, a longer text than the summary itself ".repeat(100));
            err.reset();
            List<String> arguments = new ArrayList<>(List.of("--summary-file", summary.toString()));
            arguments.addAll(c.arguments());

            int exit = run(arguments.toArray(String[]::new));

            assertThat(exit).as(c.reason()).isEqualTo(c.exit()).isEqualTo(EvaluationSummary.exitCode(c.reason()));
            EvaluationSummary failed = summary(summary);
            assertThat(failed).as(c.reason()).isEqualTo(EvaluationSummary.failed(c.reason(), failed.message()));
            assertThat(failed.message()).isNotBlank();
            assertThat(err.toString(StandardCharsets.UTF_8)).contains("evaluate: " + failed.message());
        }

        // the summary file named before an argument that cannot be split still gets the failure
        assertThat(run("--summary-file", summary.toString(), "--candidate", "good=" + good, "--dataset")).isEqualTo(2);
        assertThat(summary(summary)).isEqualTo(EvaluationSummary.failed(EvaluationSummary.REASON_INVALID_ARGUMENTS,
                "--dataset needs a value"));
    }

    @Test
    void aSummaryReadsBackAsWritten() {
        EvaluationSummary.CandidateSummary figures = new EvaluationSummary.CandidateSummary("invoice-v2", 30, 28, 1,
                1, 0, 2, 28 / 29.0, 0.83812345, 0.99991, 0.9712345, 1 / 30.0, 0.0, 12.3456, 45.678, 1234.5678,
                0.0034723);
        EvaluationSummary.CandidateSummary nothing = new EvaluationSummary.CandidateSummary("down", 30, 0, 0, 0, 30, 0,
                null, 0.0, 1.0, Double.NaN, null, 1.0, null, null, null, null);
        EvaluationSummary summary = EvaluationSummary.succeeded(30, 2, List.of(figures, nothing),
                new EvaluationSummary.Recommendation("invoice-v2", "the only candidate \"quoted\" … ünïcode"));

        String json = summary.toJson();

        assertThat(json).startsWith("{\"outcome\":\"Succeeded\",\"examples\":30,\"skipped\":2,\"candidates\":[{\"name\":"
                + "\"invoice-v2\",\"examples\":30,\"agree\":28,\"disagree\":1,\"invalid\":1,\"error\":0,"
                + "\"referenceErrors\":2,\"agreement\":0.9655,\"agreementLower\":0.8381,\"agreementUpper\":1,"
                + "\"meanScore\":0.9712,\"invalidRate\":0.03333,\"errorRate\":0,\"p50Ms\":12.35,\"p95Ms\":45.68,"
                + "\"outputTokensPerSecond\":1235,\"costPer1k\":0.003472}");
        assertThat(json).contains("\"agreement\":null", "\"meanScore\":null", "\"costPer1k\":null}")
                .endsWith("\"recommendation\":{\"candidate\":\"invoice-v2\",\"reason\":\"the only candidate "
                        + "\\\"quoted\\\" … ünïcode\"}}");
        EvaluationSummary read = EvaluationSummary.parse(json).orElseThrow();
        assertThat(read).isEqualTo(summary);
        assertThat(read.candidates().get(0).agreementLower()).isEqualTo(0.8381);
        assertThat(read.candidates().get(0).agreementUpper()).isEqualTo(1.0);
        assertThat(read.candidates().get(1).meanScore()).isNull();
        // rounding what is rounded changes nothing: written again, the same line
        assertThat(read.toJson()).isEqualTo(json);
        assertThat(EvaluationSummary.parse(json + "\n")).contains(summary);
        assertThat(EvaluationSummary.parse(json.replace("\"skipped\":2,", "\"skipped\":2,\"newerField\":[1],")))
                .contains(summary);

        EvaluationSummary failed = EvaluationSummary.failed(EvaluationSummary.REASON_DATASET_NOT_FOUND,
                "the dataset /data/eval.jsonl does not exist");
        assertThat(failed.toJson()).isEqualTo("{\"outcome\":\"Failed\",\"reason\":\"DatasetNotFound\","
                + "\"message\":\"the dataset /data/eval.jsonl does not exist\"}");
        assertThat(EvaluationSummary.parse(failed.toJson())).contains(failed);
        assertThat(failed.isSucceeded()).isFalse();

        for (String notOne : List.of("", "  ", "not json", "[]", "{}", "{\"outcome\":\"Running\"}",
                "{\"outcome\":\"Failed\"}", "{\"outcome\":\"Failed\",\"reason\":7}",
                "{\"outcome\":\"Succeeded\",\"examples\":1,\"skipped\":0,\"candidates\":[]}",
                json.replace("\"examples\":30,\"agree\"", "\"examples\":\"30\",\"agree\""),
                json.replace("\"p50Ms\":12.35", "\"p50Ms\":\"12.35\""),
                json.replace("\"agree\":28", "\"agree\":28.5"),
                json.replace("\"agree\":28", "\"agree\":-28"),
                json.substring(0, json.length() / 2),
                "2026-12-03T10:00:00Z ERROR evaluate: something else")) {
            assertThat(EvaluationSummary.parse(notOne)).as(notOne).isEmpty();
        }
        assertThat(EvaluationSummary.parse(null)).isEmpty();
    }

    /** A free-text example: the reference says the total in a sentence. */
    private static String freeText(int i) {
        ObjectNode example = MAPPER.createObjectNode();
        var messages = example.putArray("messages");
        messages.addObject().put("role", "user").put("content", "What does invoice INV-" + i + " total?");
        messages.addObject().put("role", "assistant").put("content", "The invoice INV-" + i + " totals " + i
                + " euros, due at the end of the month.");
        return example.toString();
    }

    @Test
    void aJudgeGradesFreeTextAndItsFailuresAreJudgeErrorsNeverDisagreements() throws Exception {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            lines.add(freeText(i));
        }
        Path eval = Files.write(dir.resolve("free.jsonl"), lines);
        // the same in substance, in other words: token F1 calls it a disagreement
        String paraphrasing = candidate(CHAT, 200, 0, request -> {
            String asked = request.path("messages").get(0).path("content").asText();
            String invoice = asked.replaceAll(".*INV-(\\d+).*", "$1");
            return "INV-" + invoice + ": " + invoice + " EUR";
        });
        Queue<String> judgeHeaders = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<JsonNode> judged = new ConcurrentLinkedQueue<>();
        // grades 5, but answers no grade about INV-3 and fails about INV-4
        HttpServer judge = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        judge.setExecutor(serverThreads);
        judge.createContext(CHAT, exchange -> {
            judgeHeaders.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
            JsonNode request = MAPPER.readTree(exchange.getRequestBody().readAllBytes());
            judged.add(request);
            String asked = request.path("messages").get(1).path("content").asText();
            ObjectNode completion = MAPPER.createObjectNode();
            completion.putArray("choices").addObject().put("index", 0).putObject("message").put("role", "assistant")
                    .put("content", asked.contains("INV-3 ") ? "They look the same to me." : "5");
            byte[] body = completion.toString().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(asked.contains("INV-4 ") ? 500 : 200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        judge.start();
        servers.add(judge);
        String judgeUrl = "http://127.0.0.1:" + judge.getAddress().getPort() + "/v1";
        environment.put("JUDGE_KEY", "judge-secret-42");
        Path report = dir.resolve("report.jsonl");
        Path summary = dir.resolve("summary.json");

        int exit = run("--dataset", eval.toString(), "--candidate", "para=" + paraphrasing, "--judge",
                judgeUrl + ",judge-llm", "--judge-api-key-env", "JUDGE_KEY", "--min-agreement", "0.1", "--report",
                report.toString(), "--summary-file", summary.toString());

        assertThat(exit).as(err.toString()).isZero();
        assertThat(judgeHeaders).hasSize(6).containsOnly("Bearer judge-secret-42");
        assertThat(judged).allSatisfy(request -> {
            assertThat(request.path("model").asText()).isEqualTo("judge-llm");
            assertThat(request.path("messages").get(0).path("content").asText()).startsWith("You grade a candidate");
            assertThat(request.path("messages").get(1).path("content").asText()).contains("Reference answer:\nThe "
                    + "invoice INV-", "Candidate answer:\nINV-");
        });
        EvaluationSummary.CandidateSummary para = summary(summary).candidates().get(0);
        // 4 graded 5 of 5 (score 1), 2 not graded: neither agree nor disagree, told apart from every other count
        assertThat(List.of(para.examples(), para.agree(), para.disagree(), para.invalid(), para.error(),
                para.referenceErrors())).containsExactly(6L, 4L, 0L, 0L, 0L, 0L);
        assertThat(para.meanScore()).isEqualTo(1.0);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains(
                "  para: 2 answers the judge did not grade (it failed or answered no grade 1-5), not counted");
        List<JsonNode> verdicts = new ArrayList<>();
        for (String line : Files.readAllLines(report)) {
            verdicts.add(MAPPER.readTree(line));
        }
        assertThat(verdicts).extracting(line -> line.path("verdict").asText()).containsExactly("agree", "agree",
                "agree", "judge_error", "judge_error", "agree");
        assertThat(verdicts.get(3).path("error").asText()).isEqualTo("judge answered no grade 1-5");
        assertThat(verdicts.get(4).path("error").asText()).isEqualTo("judge status_5xx: answered 500");
        assertThat(out.toString(StandardCharsets.UTF_8) + err + Files.readString(report) + Files.readString(summary))
                .doesNotContain("judge-secret");

        // without the judge the same answers are scored by token F1: disagreements
        out.reset();
        assertThat(run("--dataset", eval.toString(), "--candidate", "para=" + paraphrasing, "--summary-file",
                summary.toString())).isZero();
        assertThat(summary(summary).candidates().get(0).disagree()).isEqualTo(6);

        // structured answers are compared by their leaves, never sent to the judge
        judged.clear();
        assertThat(run("--dataset", dataset(3).toString(), "--candidate", "good=" + agreeing(), "--judge", judgeUrl,
                "--summary-file", summary.toString())).isZero();
        assertThat(judged).isEmpty();
        assertThat(summary(summary).candidates().get(0).agree()).isEqualTo(3);

        // the judge's key missing fails before any call; its option without --judge, or a malformed one, is refused
        environment.clear();
        err.reset();
        assertThat(run("--dataset", eval.toString(), "--candidate", "para=" + paraphrasing, "--judge", judgeUrl,
                "--judge-api-key-env", "JUDGE_KEY", "--summary-file", summary.toString())).isEqualTo(2);
        assertThat(summary(summary)).isEqualTo(EvaluationSummary.failed(EvaluationSummary.REASON_API_KEY_MISSING,
                "the environment variable JUDGE_KEY (--judge-api-key-env) is not set"));
        assertThat(run("--dataset", eval.toString(), "--candidate", "para=" + paraphrasing, "--judge-api-key-env",
                "JUDGE_KEY")).isEqualTo(2);
        assertThat(err.toString()).contains("evaluate: --judge-api-key-env without --judge");
        assertThat(run("--dataset", eval.toString(), "--candidate", "para=" + paraphrasing, "--judge",
                "ftp://judge/v1")).isEqualTo(2);
        assertThat(err.toString()).contains("evaluate: malformed --judge ftp://judge/v1: ", "(expected URL[,MODEL])");
    }

    @Test
    void theTimeoutCoversTheBodyAndItsInterruptNeverReachesTheNextCall() throws Exception {
        Path eval = dataset(4);
        // answers the headers at once, then holds the body back for 2 s: the request's own timeout ends at the headers
        HttpServer stalling = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        stalling.setExecutor(serverThreads);
        stalling.createContext(CHAT, exchange -> {
            try {
                exchange.getRequestBody().readAllBytes();
                exchange.sendResponseHeaders(200, 100);
                exchange.getResponseBody().flush();
                Thread.sleep(2000);
            } catch (InterruptedException | IOException e) {
                // the client gave up
            } finally {
                exchange.close();
            }
        });
        stalling.start();
        servers.add(stalling);
        Path report = dir.resolve("report.jsonl");

        // one thread: every call after a timed-out one is made by the thread the deadline interrupted
        int exit = run("--dataset", eval.toString(), "--candidate", "stalling=http://127.0.0.1:"
                + stalling.getAddress().getPort() + "/v1", "--candidate", "good=" + agreeing(), "--concurrency", "1",
                "--timeout-seconds", "0.3", "--report", report.toString());

        assertThat(exit).as(err.toString()).isZero();
        List<JsonNode> lines = new ArrayList<>();
        for (String line : Files.readAllLines(report)) {
            lines.add(MAPPER.readTree(line));
        }
        assertThat(lines).hasSize(8).allSatisfy(line -> {
            if (line.path("candidate").asText().equals("stalling")) {
                assertThat(line.path("verdict").asText()).isEqualTo("candidate_error");
                assertThat(line.path("error").asText()).isEqualTo("timeout: no answer within 300 ms");
                assertThat(line.path("latencyMs").asDouble()).isBetween(300.0, 1500.0);
            } else {
                assertThat(line.path("verdict").asText()).as(line.toString()).isEqualTo("agree");
            }
        });
    }
}
