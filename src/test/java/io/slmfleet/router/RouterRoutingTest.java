package io.slmfleet.router;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.slmfleet.routing.RoutingTable.FallbackReason;

@QuarkusTest
@TestProfile(RouterTestProfile.class)
class RouterRoutingTest extends RouterTestBase {

    @Test
    void routesByHeaderRewritesTheModelAndSaysWhoAnswered() throws Exception {
        try (FakeBackend parser = FakeBackend.start(backends, FakeBackend.completion("parsed"))) {
            install(table(null, route("parsing", target("invoice-parser", parser, 100))));

            HttpResponse<String> response = post(CHAT, chatBody("gpt-4o"),
                    Map.of("x-agent-task", "parsing", "x-request-id", "r-1"));

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(FakeBackend.MAPPER.readTree(response.body()).path("choices").get(0).path("message")
                    .path("content").asText()).isEqualTo("parsed");
            assertThat(header(response, "x-slmfleet-route")).isEqualTo("parsing");
            assertThat(header(response, "x-slmfleet-target")).isEqualTo("invoice-parser");
            assertThat(header(response, "x-slmfleet-fallback")).isNull();
            FakeBackend.Received received = parser.received().get(0);
            assertThat(received.path()).isEqualTo("/v1/chat/completions");
            assertThat(received.model()).isEqualTo("invoice-parser-model");
            assertThat(received.body().path("messages").get(0).path("content").asText()).isEqualTo("hello");
            assertThat(received.headers().get("x-request-id")).isEqualTo("r-1");
            // the caller's router token is not the backend's business
            assertThat(received.headers().get("authorization")).isNull();
        }
    }

    @Test
    void routesByModelAliasToAnAdapter() throws Exception {
        try (FakeBackend summarizer = FakeBackend.start(backends, FakeBackend.completion("short"));
                FakeBackend other = FakeBackend.start(backends, FakeBackend.completion("other"))) {
            install(table(null, route("summarize", adapterTarget("summarizer", "sum-v2", summarizer, 100)),
                    route("parsing", target("parser", other, 100))));

            HttpResponse<String> response = chat("task/summarize");

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(header(response, "x-slmfleet-route")).isEqualTo("summarize");
            assertThat(header(response, "x-slmfleet-target")).isEqualTo("summarizer/sum-v2");
            assertThat(summarizer.received()).singleElement().extracting(FakeBackend.Received::model).isEqualTo("sum-v2");
            assertThat(other.count()).isZero();

            HttpResponse<String> byHeader = post(CHAT, chatBody("task/summarize"), Map.of("x-agent-task", "parsing"));
            assertThat(header(byHeader, "x-slmfleet-route")).as("the header wins over the alias").isEqualTo("parsing");
        }
    }

    @Test
    void forwardsCompletionsToTheCompletionsPath() throws Exception {
        try (FakeBackend backend = FakeBackend.start(backends, (request, response) -> FakeBackend.json(response, 200,
                FakeBackend.MAPPER.createObjectNode().put("object", "text_completion").set("choices",
                        FakeBackend.MAPPER.createArrayNode().add(FakeBackend.MAPPER.createObjectNode()
                                .put("index", 0).put("text", "done")))))) {
            install(table(null, route("complete", target("writer", backend, 1))));

            HttpResponse<String> response = post("/v1/completions", "{\"model\":\"task/complete\",\"prompt\":\"Once\"}",
                    Map.of());

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(backend.received()).singleElement().satisfies(received -> {
                assertThat(received.path()).isEqualTo("/v1/completions");
                assertThat(received.model()).isEqualTo("writer-model");
                assertThat(received.body().path("prompt").asText()).isEqualTo("Once");
            });
        }
    }

    /**
     * 3000 picks among weights 70/20/10. Pearson's statistic with 2 degrees of freedom has the exact tail
     * P(X > x) = exp(-x/2), so a correct router fails this bound with probability 1e-6 (x = 27.63), while picks off by
     * a few percent points fail it almost surely (5 points off on the 70% target alone give about 36).
     */
    @Test
    void picksTargetsInProportionToTheirWeights() throws Exception {
        try (FakeBackend a = FakeBackend.start(backends, FakeBackend.completion("a"));
                FakeBackend b = FakeBackend.start(backends, FakeBackend.completion("b"));
                FakeBackend c = FakeBackend.start(backends, FakeBackend.completion("c"))) {
            install(table(null, route("weighted", target("a", a, 70), target("b", b, 20), target("c", c, 10))));
            int samples = 3000;
            Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
            Semaphore inFlight = new Semaphore(16);
            CompletableFuture<?>[] all = new CompletableFuture<?>[samples];
            HttpRequest request = request(CHAT).header("x-agent-task", "weighted")
                    .POST(HttpRequest.BodyPublishers.ofString(chatBody("x"))).build();
            for (int i = 0; i < samples; i++) {
                inFlight.acquire();
                all[i] = HTTP.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((response, e) -> {
                    inFlight.release();
                    if (response != null && response.statusCode() == 200) {
                        counts.computeIfAbsent(header(response, "x-slmfleet-target"), k -> new AtomicInteger())
                                .incrementAndGet();
                    }
                });
            }
            CompletableFuture.allOf(all).join();

            Map<String, Double> expected = Map.of("a", 0.7, "b", 0.2, "c", 0.1);
            assertThat(counts.keySet()).containsExactlyInAnyOrderElementsOf(expected.keySet());
            assertThat(counts.values().stream().mapToInt(AtomicInteger::get).sum()).isEqualTo(samples);
            double chiSquare = 0;
            for (Map.Entry<String, Double> entry : expected.entrySet()) {
                double want = samples * entry.getValue();
                double got = counts.get(entry.getKey()).get();
                chiSquare += (got - want) * (got - want) / want;
            }
            assertThat(chiSquare).as("Pearson chi-square of %s", counts).isLessThan(2 * Math.log(1e6));
        }
    }

    @Test
    void listsTasksTheirModelsAndTheFallback() throws Exception {
        try (FakeBackend backend = FakeBackend.start(backends, FakeBackend.completion("x"))) {
            install(table(fallback(backend, FallbackReason.error),
                    route("parsing", adapterTarget("parser", "invoice-v3", backend, 90), target("parser", backend, 10)),
                    route("summarize", target("summarizer", backend, 1))));

            HttpResponse<String> response = HTTP.send(request("/v1/models").GET().build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(response.statusCode()).isEqualTo(200);
            JsonNode data = FakeBackend.MAPPER.readTree(response.body()).path("data");
            assertThat(data.findValuesAsText("id")).containsExactly("task/parsing", "task/summarize", "big-llm");
            assertThat(data.get(0).path("targets").findValuesAsText("model")).isEqualTo(List.of("invoice-v3", "parser-model"));
        }
    }
}
