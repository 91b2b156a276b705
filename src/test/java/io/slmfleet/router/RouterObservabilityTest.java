package io.slmfleet.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.slmfleet.routing.RoutingTable.UsageCapture;

@QuarkusTest
@TestProfile(RouterTestProfile.class)
class RouterObservabilityTest extends RouterTestBase {

    @Test
    void exportsRequestsLatencyTokensAndFallbacksWithLabelsFromTheTableOnly() throws Exception {
        try (FakeBackend slm = FakeBackend.start(backends, FakeBackend.completion("fine"));
                FakeBackend failing = FakeBackend.start(backends, FakeBackend.status(500));
                FakeBackend llm = FakeBackend.start(backends, FakeBackend.completion("llm"))) {
            install(table(fallbackForAll(llm), route("metered", target("metered-slm", slm, 1)),
                    route("metered-failing", target("metered-failing-slm", failing, 1))));

            for (int i = 0; i < 3; i++) {
                assertThat(chatForTask("metered").statusCode()).isEqualTo(200);
            }
            assertThat(chatForTask("metered-failing").statusCode()).isEqualTo(200);
            assertThat(chatForTask("caller-invented-task-4711").statusCode()).isEqualTo(200);

            String metrics = metrics();
            assertThat(metrics)
                    .contains("slmfleet_router_requests_seconds_count{outcome=\"ok\",route=\"metered\",target=\"metered-slm\"} 3.0")
                    .contains("slmfleet_router_requests_seconds_bucket{outcome=\"ok\",route=\"metered\",target=\"metered-slm\",le=\"0.005\"}")
                    .contains("slmfleet_router_tokens_total{kind=\"prompt\",route=\"metered\",target=\"metered-slm\"} 33.0")
                    .contains("slmfleet_router_tokens_total{kind=\"completion\",route=\"metered\",target=\"metered-slm\"} 21.0")
                    .contains("slmfleet_router_fallbacks_total{reason=\"error\",route=\"metered-failing\"} 1.0")
                    .contains("slmfleet_router_upstream_attempts_total{result=\"status_5xx\",route=\"metered-failing\",target=\"metered-failing-slm\"} 1.0")
                    .contains("slmfleet_router_requests_seconds_count{outcome=\"ok\",route=\"metered-failing\",target=\"fallback\"} 1.0")
                    .contains("slmfleet_router_fallbacks_total{reason=\"unknownTask\",route=\"unknown\"}")
                    .as("economics prices what no route matched from these")
                    // other router tests of this application send unknown tasks too: the series, not their counts
                    .contains("slmfleet_router_requests_seconds_count{outcome=\"ok\",route=\"unknown\",target=\"fallback\"}")
                    .contains("slmfleet_router_tokens_total{kind=\"prompt\",route=\"unknown\",target=\"fallback\"}")
                    .doesNotContain("caller-invented-task-4711");
        }
    }

    @Test
    void capturesSampledExchangesRedactedAndRotated() throws Exception {
        Path directory = Files.createTempDirectory("slmfleet-usage");
        String pii = "Mail jane.doe@example.com or call +1 415 555 2671, card 4111 1111 1111 1111, host 10.1.2.3";
        try (FakeBackend slm = FakeBackend.start(backends, FakeBackend.completion("Noted: jane.doe@example.com"))) {
            install(table(null, new UsageCapture(true, 1.0, true, directory.toString()),
                    route("captured", target("captured-slm", slm, 1))));

            int requests = 20;
            for (int i = 0; i < requests; i++) {
                String body = "{\"model\":\"task/captured\",\"messages\":[{\"role\":\"user\",\"content\":\"" + pii + "\"}],"
                        + "\"response_format\":{\"type\":\"json_object\"},\"temperature\":0.2}";
                assertThat(post(CHAT, body, java.util.Map.of()).statusCode()).isEqualTo(200);
            }

            await().atMost(Duration.ofSeconds(10)).until(() -> lines(directory).size() == requests);
            List<Path> files = files(directory);
            assertThat(files).as("4 KiB files rotate").hasSizeGreaterThan(1)
                    .allSatisfy(file -> assertThat(Files.size(file)).isLessThanOrEqualTo(4096));
            String everything = String.join("\n", lines(directory));
            assertThat(everything).doesNotContain("jane.doe", "555 2671", "4111 1111 1111 1111", "10.1.2.3");
            JsonNode record = FakeBackend.MAPPER.readTree(lines(directory).get(0));
            assertThat(record.path("schemaVersion").asInt()).isEqualTo(1);
            assertThat(record.path("task").asText()).isEqualTo("captured");
            assertThat(record.path("target").asText()).isEqualTo("captured-slm");
            assertThat(record.path("outcome").asText()).isEqualTo("ok");
            assertThat(record.path("request").path("response_format").path("type").asText()).isEqualTo("json_object");
            assertThat(record.path("request").has("temperature")).as("only what curation reads is kept").isFalse();
            assertThat(record.path("usage").path("prompt_tokens").asInt()).isEqualTo(11);
            assertThat(record.path("latencyMs").asDouble()).isPositive();
            assertThat(record.path("request").path("messages").get(0).path("content").asText())
                    .isEqualTo("Mail [EMAIL] or call [PHONE], card [CARD], host [IP]");
            assertThat(record.path("response").path("choices").get(0).path("message").path("content").asText())
                    .isEqualTo("Noted: [EMAIL]");

            install(table(null, new UsageCapture(true, 0.0, true, directory.toString()),
                    route("captured", target("captured-slm", slm, 1))));
            for (int i = 0; i < 5; i++) {
                chatForTask("captured");
            }
            assertThat(metrics()).contains("slmfleet_router_capture_records_total{result=\"written\"} " + requests + ".0");
            assertThat(lines(directory)).as("sample rate 0 records nothing").hasSize(requests);
        }
    }

    private String metrics() throws Exception {
        return HTTP.send(HttpRequest.newBuilder(root.resolve("/q/metrics")).GET().build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private static List<Path> files(Path directory) throws Exception {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(file -> file.getFileName().toString().endsWith(".jsonl")).sorted().toList();
        }
    }

    private static List<String> lines(Path directory) throws Exception {
        return files(directory).stream().flatMap(file -> {
            try {
                return Files.readAllLines(file).stream();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).toList();
    }
}
