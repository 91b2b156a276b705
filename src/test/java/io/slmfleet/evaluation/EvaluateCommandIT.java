package io.slmfleet.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;

/**
 * The evaluate command as a user (or an EvaluationJob's pod) runs it: the packaged application, no cluster, the
 * leaderboard alone on stdout, the exit code, the summary file, an API key from the process's environment. Runs after
 * {@code package} (failsafe).
 */
class EvaluateCommandIT {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void evaluatesAnEchoingCandidateAndRefusesAMalformedOne() throws Exception {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ObjectNode example = MAPPER.createObjectNode();
            example.putArray("messages").add(MAPPER.createObjectNode().put("role", "user").put("content", "q" + i))
                    .add(MAPPER.createObjectNode().put("role", "assistant").put("content", "answer to q" + i));
            lines.add(example.toString());
        }
        Path eval = Files.write(dir.resolve("eval.jsonl"), lines);
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v1/chat/completions", exchange -> {
            if (!"Bearer it-key".equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                exchange.sendResponseHeaders(401, -1);
                exchange.close();
                return;
            }
            JsonNode request = MAPPER.readTree(exchange.getRequestBody().readAllBytes());
            ObjectNode completion = MAPPER.createObjectNode();
            completion.putArray("choices").addObject().put("index", 0).putObject("message").put("role", "assistant")
                    .put("content", "answer to " + request.path("messages").get(0).path("content").asText());
            byte[] body = completion.toString().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try {
            String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
            Path summary = dir.resolve("summary.json");
            Result result = evaluate(Map.of("ECHO_API_KEY", "it-key"), "--dataset", eval.toString(), "--candidate",
                    "echo=" + url, "--api-key-env", "echo=ECHO_API_KEY", "--gpu-price", "echo=1.5", "--report",
                    dir.resolve("report.jsonl").toString(), "--summary-file", summary.toString());

            assertThat(result.exit).as("exit code; stderr: %s", result.err).isZero();
            assertThat(result.err).doesNotContain("Exception", "INFO").contains("evaluate: 3 of 3 calls done");
            assertThat(result.out).startsWith("Evaluated 3 examples of " + eval + " against 1 candidates")
                    .contains("Recommendation: none: no candidate's agreement lower bound clears 0.95 (best: echo at ");
            assertThat(result.out.lines().filter(line -> line.startsWith("echo ")).findFirst().orElseThrow()
                    .split("\\s+")).startsWith("echo", "3", "3", "0", "0", "0", "1.000");
            assertThat(Files.readAllLines(dir.resolve("report.jsonl"))).hasSize(3)
                    .allSatisfy(line -> assertThat(line).contains("\"verdict\":\"agree\""));
            EvaluationSummary read = EvaluationSummary.parse(Files.readString(summary)).orElseThrow();
            assertThat(read.isSucceeded()).isTrue();
            assertThat(read.candidates()).singleElement().satisfies(echo -> {
                assertThat(echo.agree()).isEqualTo(3);
                assertThat(echo.costPer1k()).isPositive();
            });
            assertThat(read.recommendation().candidate()).isNull();

            Result malformed = evaluate(Map.of(), "--dataset", eval.toString(), "--candidate", "echo",
                    "--summary-file", summary.toString());
            assertThat(malformed.exit).isEqualTo(2);
            assertThat(malformed.out).isEmpty();
            assertThat(malformed.err).contains("evaluate: malformed --candidate echo: ", "usage: evaluate");
            assertThat(EvaluationSummary.parse(Files.readString(summary))).hasValueSatisfying(failed ->
                    assertThat(failed.reason()).isEqualTo(EvaluationSummary.REASON_INVALID_ARGUMENTS));

            // the key read from the process's environment: without it, no call is made
            Result keyless = evaluate(Map.of(), "--dataset", eval.toString(), "--candidate", "echo=" + url,
                    "--api-key-env", "echo=ECHO_API_KEY", "--summary-file", summary.toString());
            assertThat(keyless.exit).isEqualTo(2);
            assertThat(keyless.err).contains("evaluate: the environment variable ECHO_API_KEY");
            assertThat(EvaluationSummary.parse(Files.readString(summary))).hasValueSatisfying(failed ->
                    assertThat(failed.reason()).isEqualTo(EvaluationSummary.REASON_API_KEY_MISSING));
        } finally {
            server.stop(0);
        }
    }

    private record Result(int exit, String out, String err) {
    }

    private Result evaluate(Map<String, String> environment, String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of("java", "-jar", "target/quarkus-app/quarkus-run.jar",
                "evaluate"));
        command.addAll(List.of(arguments));
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().remove("ECHO_API_KEY");
        builder.environment().putAll(environment);
        Process evaluate = builder.start();
        assertThat(evaluate.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new Result(evaluate.exitValue(), Files.readString(out), Files.readString(err));
    }
}
