package io.slmfleet.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(serverThreads);
        server.createContext(path, exchange -> {
            int now = inFlight.incrementAndGet();
            maxInFlight.accumulateAndGet(now, Math::max);
            try {
                JsonNode request = MAPPER.readTree(exchange.getRequestBody().readAllBytes());
                if (delayMillis > 0) {
                    Thread.sleep(delayMillis);
                }
                ObjectNode completion = MAPPER.createObjectNode().put("object", "chat.completion");
                completion.putArray("choices").addObject().put("index", 0).put("finish_reason", "stop")
                        .putObject("message").put("role", "assistant").put("content", content.apply(request));
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
        return new EvaluateCommand().run(List.of(arguments), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    /** The leaderboard line of one candidate, split on blanks. */
    private List<String> row(String candidate) {
        return out.toString(StandardCharsets.UTF_8).lines().filter(line -> line.startsWith(candidate + " "))
                .findFirst().map(line -> List.of(line.trim().split("\\s{2,}"))).orElseThrow();
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
                report.toString());

        String stdout = out.toString(StandardCharsets.UTF_8);
        String stderr = err.toString(StandardCharsets.UTF_8);
        assertThat(exit).as(stderr).isZero();
        assertThat(stdout).startsWith("Evaluated 30 examples of " + eval + " against 5 candidates (2 lines skipped: "
                + "malformed 1, noReference 1); agreement threshold 0.9, confidence 0.95");
        assertThat(stderr).contains("evaluate: 2 lines skipped: malformed 1 (line 32), noReference 1 (line 31)",
                "evaluate: 150 of 150 calls done (100 %)");

        ConfidenceSequence.Interval all = ConfidenceSequence.of(30, 30, 0.95);
        ConfidenceSequence.Interval none = ConfidenceSequence.of(0, 30, 0.95);
        // examples, agree, disagree, invalid, error, agreement [lower,upper], error rate [upper], invalid [upper]
        assertThat(row("good").subList(1, 9)).containsExactly("30", "30", "0", "0", "0",
                "1.000 [" + down(all.lower()) + ",1.000]", "0.000 [" + up(none.upper()) + "]",
                "0.000 [" + up(none.upper()) + "]");
        assertThat(row("wrong").subList(1, 9)).containsExactly("30", "0", "30", "0", "0",
                "0.000 [0.000," + up(none.upper()) + "]", "0.000 [" + up(none.upper()) + "]",
                "0.000 [" + up(none.upper()) + "]");
        // errors are never disagreement: no agreement figure at all, and no latency of an answer
        assertThat(row("also-good").subList(1, 3)).containsExactly("30", "30");
        assertThat(row("slow").subList(1, 11)).containsExactly("30", "0", "0", "0", "30", "- [0.000,1.000]",
                "1.000 [1.000]", "- [1.000]", "-", "-");
        assertThat(row("down").subList(1, 9)).containsExactly("30", "0", "0", "0", "30", "- [0.000,1.000]",
                "1.000 [1.000]", "- [1.000]");
        assertThat(Double.parseDouble(row("good").get(9))).isPositive();
        assertThat(Double.parseDouble(row("good").get(10))).isGreaterThanOrEqualTo(Double.parseDouble(row("good").get(9)));
        assertThat(all.lower()).isGreaterThan(0.8);
        assertThat(stdout).contains("Recommendation: good, the first listed whose agreement lower bound ("
                + down(all.lower()) + ") clears --min-agreement 0.8 (no prices yet: the EvaluationJob will rank by cost)");

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
                "Recommendation: none, no candidate's agreement lower bound clears --min-agreement 0.95");
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
        assertThat(row("prose").subList(1, 9)).containsExactly("5", "0", "0", "5", "0", "- [0.000,1.000]",
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
}
