package io.slmfleet.router;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.slmfleet.routing.RoutingTable.FallbackReason;
import io.slmfleet.routing.RoutingTable.Target;

@QuarkusTest
@TestProfile(RouterTestProfile.class)
class RouterFallbackTest extends RouterTestBase {

    private static final Map<String, Object> INVOICE_SCHEMA = Map.of(
            "type", "object",
            "required", java.util.List.of("total"),
            "properties", Map.of("total", Map.of("type", "number")));

    @Test
    void connectionErrorGoesToTheFallbackWithItsKey() throws Exception {
        try (FakeBackend llm = FakeBackend.start(backends, FakeBackend.completion("from the LLM"))) {
            install(table(fallbackForAll(llm), route("parsing", closedPortTarget())));

            HttpResponse<String> response = chatForTask("parsing");

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(header(response, "x-slmfleet-fallback")).isEqualTo("error");
            assertThat(header(response, "x-slmfleet-target")).isEqualTo("fallback");
            assertThat(header(response, "x-slmfleet-route")).isEqualTo("parsing");
            assertThat(llm.received()).singleElement().satisfies(received -> {
                assertThat(received.model()).isEqualTo("big-llm");
                assertThat(received.headers().get("authorization")).isEqualTo("Bearer " + FALLBACK_KEY);
            });
        }
    }

    @Test
    void serverErrorsAndOverloadGoToTheFallbackButNeverCarryItsKeyToTargets() throws Exception {
        for (int status : new int[] { 500, 503, 429 }) {
            try (FakeBackend slm = FakeBackend.start(backends, FakeBackend.status(status));
                    FakeBackend llm = FakeBackend.start(backends, FakeBackend.completion("from the LLM"))) {
                install(table(fallbackForAll(llm), route("parsing", target("slm", slm, 1))));

                HttpResponse<String> response = chatForTask("parsing");

                assertThat(response.statusCode()).as("after %d", status).isEqualTo(200);
                assertThat(header(response, "x-slmfleet-fallback")).isEqualTo("error");
                assertThat(slm.received()).singleElement()
                        .satisfies(received -> assertThat(received.headers().get("authorization")).isNull());
                assertThat(llm.count()).isEqualTo(1);
            }
        }
    }

    @Test
    void timeoutGoesToTheFallback() throws Exception {
        try (FakeBackend slm = FakeBackend.start(backends, FakeBackend.silent());
                FakeBackend llm = FakeBackend.start(backends, FakeBackend.completion("late but there"))) {
            install(table(fallbackForAll(llm), route("parsing", 200, 0, null, target("slm", slm, 1))));

            HttpResponse<String> response = chatForTask("parsing");

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(header(response, "x-slmfleet-fallback")).isEqualTo("timeout");
        }
    }

    @Test
    void unknownTaskGoesToTheFallback() throws Exception {
        try (FakeBackend slm = FakeBackend.start(backends, FakeBackend.completion("slm"));
                FakeBackend llm = FakeBackend.start(backends, FakeBackend.completion("llm"))) {
            install(table(fallbackForAll(llm), route("parsing", target("slm", slm, 1))));

            HttpResponse<String> byHeader = chatForTask("poetry");
            HttpResponse<String> plainModel = chat("gpt-4o");

            for (HttpResponse<String> response : java.util.List.of(byHeader, plainModel)) {
                assertThat(response.statusCode()).isEqualTo(200);
                assertThat(header(response, "x-slmfleet-fallback")).isEqualTo("unknownTask");
                assertThat(header(response, "x-slmfleet-route")).isNull();
            }
            assertThat(llm.count()).isEqualTo(2);
            assertThat(slm.count()).isZero();
        }
    }

    @Test
    void outputFailingTheSchemaEscalatesToTheFallback() throws Exception {
        try (FakeBackend slm = FakeBackend.start(backends, FakeBackend.completion("{\"total\": \"twelve\"}"));
                FakeBackend llm = FakeBackend.start(backends, FakeBackend.completion("{\"total\": 12}"))) {
            install(table(fallbackForAll(llm), route("invoice", 2000, 0, INVOICE_SCHEMA, target("slm", slm, 1))));

            HttpResponse<String> invalid = chatForTask("invoice");
            assertThat(invalid.statusCode()).isEqualTo(200);
            assertThat(header(invalid, "x-slmfleet-fallback")).isEqualTo("invalidOutput");
            assertThat(invalid.body()).contains("{\\\"total\\\": 12}");

            for (String content : new String[] { "not json at all", "{\"sum\": 3}", "[1, 2]" }) {
                slm.behave(FakeBackend.completion(content));
                assertThat(header(chatForTask("invoice"), "x-slmfleet-fallback")).as(content).isEqualTo("invalidOutput");
            }

            slm.behave(FakeBackend.completion("{\"total\": 7.5}"));
            HttpResponse<String> valid = chatForTask("invoice");
            assertThat(header(valid, "x-slmfleet-fallback")).isNull();
            assertThat(header(valid, "x-slmfleet-target")).isEqualTo("slm");
        }
    }

    @Test
    void toolCallArgumentsAreCheckedAgainstTheSchema() throws Exception {
        try (FakeBackend slm = FakeBackend.start(backends, FakeBackend.toolCall("book", "{\"total\": 3}"));
                FakeBackend llm = FakeBackend.start(backends, FakeBackend.toolCall("book", "{\"total\": 4}"))) {
            install(table(fallbackForAll(llm), route("invoice", 2000, 0, INVOICE_SCHEMA, target("slm", slm, 1))));

            assertThat(header(chatForTask("invoice"), "x-slmfleet-fallback")).isNull();

            slm.behave(FakeBackend.toolCall("book", "{\"total\": null}"));
            assertThat(header(chatForTask("invoice"), "x-slmfleet-fallback")).isEqualTo("invalidOutput");
        }
    }

    @Test
    void invalidOutputIsDeliveredWhenTheFallbackDoesNotCoverIt() throws Exception {
        try (FakeBackend slm = FakeBackend.start(backends, FakeBackend.completion("nope"));
                FakeBackend llm = FakeBackend.start(backends, FakeBackend.completion("{\"total\": 1}"))) {
            install(table(fallback(llm, FallbackReason.error), route("invoice", 2000, 0, INVOICE_SCHEMA,
                    target("slm", slm, 1))));

            HttpResponse<String> response = chatForTask("invoice");

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(header(response, "x-slmfleet-fallback")).isNull();
            assertThat(response.body()).contains("nope");
            assertThat(llm.count()).isZero();
        }
    }

    @Test
    void retriesAnotherTargetBeforeFallingBack() throws Exception {
        try (FakeBackend broken = FakeBackend.start(backends, FakeBackend.status(502));
                FakeBackend healthy = FakeBackend.start(backends, FakeBackend.completion("ok"));
                FakeBackend llm = FakeBackend.start(backends, FakeBackend.completion("llm"))) {
            install(table(fallbackForAll(llm), route("parsing", 2000, 1, null, target("broken", broken, 1),
                    target("healthy", healthy, 1))));

            // 20 requests: each one picks the broken target first with probability 1/2, so the retry is exercised
            // unless all 20 pick the healthy one first (probability 1e-6)
            for (int i = 0; i < 20; i++) {
                HttpResponse<String> response = chatForTask("parsing");
                assertThat(response.statusCode()).isEqualTo(200);
                assertThat(header(response, "x-slmfleet-target")).isEqualTo("healthy");
                assertThat(header(response, "x-slmfleet-fallback")).isNull();
            }
            assertThat(broken.count()).isPositive();
            assertThat(healthy.count()).isEqualTo(20);
            assertThat(llm.count()).isZero();
        }
    }

    @Test
    void retriesTheSameTargetWhenItIsTheOnlyOneAndFallsBackWhenRetriesRunOut() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        try (FakeBackend flaky = FakeBackend.start(backends, (request, response) -> {
            if (calls.incrementAndGet() % 2 == 1) {
                response.close();
            } else {
                FakeBackend.completion("second time lucky").answer(request, response);
            }
        }); FakeBackend llm = FakeBackend.start(backends, FakeBackend.completion("llm"))) {
            install(table(fallbackForAll(llm), route("parsing", 2000, 1, null, target("flaky", flaky, 1))));
            HttpResponse<String> retried = chatForTask("parsing");
            assertThat(retried.statusCode()).isEqualTo(200);
            assertThat(header(retried, "x-slmfleet-target")).isEqualTo("flaky");
            assertThat(flaky.count()).isEqualTo(2);

            flaky.behave(FakeBackend.status(500));
            flaky.clear();
            install(table(fallbackForAll(llm), route("parsing", 2000, 2, null, target("flaky", flaky, 1))));
            HttpResponse<String> exhausted = chatForTask("parsing");
            assertThat(header(exhausted, "x-slmfleet-fallback")).isEqualTo("error");
            assertThat(flaky.count()).as("first call and two retries").isEqualTo(3);
        }
    }

    @Test
    void withoutAFallbackFailuresBecomeOpenAiErrors() throws Exception {
        try (FakeBackend silent = FakeBackend.start(backends, FakeBackend.silent());
                FakeBackend overloaded = FakeBackend.start(backends, FakeBackend.status(429));
                FakeBackend failing = FakeBackend.start(backends, FakeBackend.status(500));
                FakeBackend rejecting = FakeBackend.start(backends, FakeBackend.status(400))) {
            install(table(null,
                    route("down", closedPortTarget()),
                    route("slow", 150, 0, null, target("silent", silent, 1)),
                    route("busy", target("overloaded", overloaded, 1)),
                    route("failing", target("failing", failing, 1)),
                    route("rejecting", target("rejecting", rejecting, 1)),
                    route("empty")));

            assertError(chatForTask("down"), 502, "upstream_error");
            assertError(chatForTask("slow"), 504, "upstream_timeout");
            assertError(chatForTask("busy"), 503, "upstream_overloaded");
            assertError(chatForTask("failing"), 502, "upstream_error");
            assertError(chatForTask("empty"), 503, "no_ready_target");
            HttpResponse<String> unknown = chatForTask("poetry");
            assertError(unknown, 404, "unknown_task");
            assertThat(unknown.body()).contains("poetry");
            assertError(chat("gpt-4o"), 400, "missing_task");

            HttpResponse<String> rejected = chatForTask("rejecting");
            assertThat(rejected.statusCode()).as("a target's own 4xx is passed through").isEqualTo(400);
            assertThat(rejected.body()).contains("backend says 400");
        }
    }

    @Test
    void fallbackThatDoesNotCoverTheReasonIsNotUsed() throws Exception {
        try (FakeBackend failing = FakeBackend.start(backends, FakeBackend.status(500));
                FakeBackend llm = FakeBackend.start(backends, FakeBackend.completion("llm"))) {
            install(table(fallback(llm, FallbackReason.timeout), route("parsing", target("failing", failing, 1))));

            assertError(chatForTask("parsing"), 502, "upstream_error");
            assertError(chatForTask("other"), 404, "unknown_task");
            assertThat(llm.count()).isZero();
        }
    }

    @Test
    void aFailingFallbackIsReportedWithTheReasonItWasCalledFor() throws Exception {
        try (FakeBackend failing = FakeBackend.start(backends, FakeBackend.status(500));
                FakeBackend llm = FakeBackend.start(backends, FakeBackend.status(503))) {
            install(table(fallbackForAll(llm), route("parsing", target("failing", failing, 1))));

            HttpResponse<String> response = chatForTask("parsing");

            assertError(response, 502, "fallback_upstream_error");
            assertThat(header(response, "x-slmfleet-fallback")).isEqualTo("error");
            assertThat(header(response, "x-slmfleet-target")).isEqualTo("fallback");
        }
    }

    private static Target closedPortTarget() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        return new Target("down", null, "http://127.0.0.1:" + port + "/v1", "down-model", 1);
    }

    private static void assertError(HttpResponse<String> response, int status, String code) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(errorCode(response)).isEqualTo(code);
        assertThat(FakeBackend.MAPPER.readTree(response.body()).path("error").path("message").asText()).isNotBlank();
    }
}
