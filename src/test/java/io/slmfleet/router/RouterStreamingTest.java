package io.slmfleet.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.http.HttpServerResponse;

@QuarkusTest
@TestProfile(RouterTestProfile.class)
class RouterStreamingTest extends RouterTestBase {

    /**
     * The backend sends its first event and then waits until the caller has it: the stream can only complete if the
     * router passes the first chunk on before the backend's answer is over.
     */
    @Test
    void passesTheFirstChunkOnBeforeTheBackendFinishes() throws Exception {
        CountDownLatch callerHasFirstChunk = new CountDownLatch(1);
        AtomicBoolean releasedByTimeout = new AtomicBoolean();
        try (FakeBackend slm = FakeBackend.start(backends, (request, response) -> {
            response.setChunked(true).putHeader("content-type", "text/event-stream");
            response.write("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hel\"}}]}\n\n");
            long started = System.nanoTime();
            backends.setPeriodic(5, timer -> {
                boolean timedOut = System.nanoTime() - started > TimeUnit.SECONDS.toNanos(5);
                if (callerHasFirstChunk.getCount() == 0 || timedOut) {
                    releasedByTimeout.set(callerHasFirstChunk.getCount() != 0);
                    backends.cancelTimer(timer);
                    response.write("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"lo\"}}]}\n\n");
                    response.end("data: [DONE]\n\n");
                }
            });
        })) {
            install(table(null, route("chat", target("slm", slm, 1))));

            HttpResponse<InputStream> response = HTTP.send(request(CHAT).header("x-agent-task", "chat")
                    .POST(HttpRequest.BodyPublishers.ofString(streamingChatBody("x"))).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(header(response, "content-type")).startsWith("text/event-stream");
            assertThat(header(response, "x-slmfleet-target")).isEqualTo("slm");
            List<String> events = new ArrayList<>();
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    if (line.startsWith("data:")) {
                        events.add(line);
                        callerHasFirstChunk.countDown();
                    }
                }
            }
            assertThat(releasedByTimeout).as("the backend had to give up waiting: the first chunk was held back").isFalse();
            assertThat(events).hasSize(3).last().isEqualTo("data: [DONE]");
            assertThat(slm.received().get(0).model()).isEqualTo("slm-model");
        }
    }

    @Test
    void relaysAWholeStreamAndCountsItsTokens() throws Exception {
        try (FakeBackend slm = FakeBackend.start(backends, FakeBackend.stream(backends, 2, "a", "b", "c", "d"))) {
            install(table(null, route("streamed", target("streamer", slm, 1))));

            HttpResponse<String> response = post(CHAT, streamingChatBody("task/streamed"), java.util.Map.of());

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body().lines().filter(line -> line.startsWith("data:")).count()).isEqualTo(6);
            assertThat(response.body()).endsWith("data: [DONE]\n\n");
            String metrics = HTTP.send(HttpRequest.newBuilder(root.resolve("/q/metrics")).GET().build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertThat(metrics).containsPattern(
                    "slmfleet_router_tokens_total\\{kind=\"completion\",route=\"streamed\",target=\"streamer\"} 4.0");
        }
    }

    @Test
    void retriesAndFallsBackWhileNothingWasStreamed() throws Exception {
        try (FakeBackend failing = FakeBackend.start(backends, FakeBackend.status(503));
                FakeBackend silent = FakeBackend.start(backends, FakeBackend.silent());
                FakeBackend healthy = FakeBackend.start(backends, FakeBackend.stream(backends, 1, "ok"));
                FakeBackend llm = FakeBackend.start(backends, FakeBackend.stream(backends, 1, "from", "llm"))) {
            install(table(fallbackForAll(llm),
                    route("retry", 2000, 1, null, target("failing", failing, 1), target("healthy", healthy, 1)),
                    route("timeout", 200, 0, null, target("silent", silent, 1))));

            for (int i = 0; i < 20; i++) {
                HttpResponse<String> retried = post(CHAT, streamingChatBody("task/retry"), java.util.Map.of());
                assertThat(header(retried, "x-slmfleet-target")).isEqualTo("healthy");
                assertThat(retried.body()).contains("\"ok\"").endsWith("data: [DONE]\n\n");
            }
            assertThat(failing.count()).isPositive();

            HttpResponse<String> timedOut = post(CHAT, streamingChatBody("task/timeout"), java.util.Map.of());
            assertThat(header(timedOut, "x-slmfleet-fallback")).isEqualTo("timeout");
            assertThat(timedOut.body()).contains("\"llm\"").endsWith("data: [DONE]\n\n");
        }
    }

    @Test
    void aStreamThatBreaksOffAfterTheFirstByteBreaksOffForTheCallerToo() throws Exception {
        try (FakeBackend breaking = FakeBackend.start(backends, (request, response) -> {
            response.setChunked(true).putHeader("content-type", "text/event-stream");
            response.write("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"par\"}}]}\n\n");
            backends.setTimer(50, t -> closeConnection(response));
        }); FakeBackend llm = FakeBackend.start(backends, FakeBackend.completion("llm"))) {
            install(table(fallbackForAll(llm), route("breaking", target("breaking", breaking, 1))));

            HttpResponse<InputStream> response = HTTP.send(request(CHAT)
                    .POST(HttpRequest.BodyPublishers.ofString(streamingChatBody("task/breaking"))).build(),
                    HttpResponse.BodyHandlers.ofInputStream());

            assertThat(response.statusCode()).isEqualTo(200);
            assertThatThrownBy(() -> response.body().readAllBytes())
                    .as("a truncated chunked body is an error, not a clean end").isInstanceOf(IOException.class);
            assertThat(llm.count()).as("nothing can be retried once the caller has bytes").isZero();
        }
    }

    @Test
    void aStreamThatStallsIsCutAfterTheRouteTimeout() throws Exception {
        try (FakeBackend stalling = FakeBackend.start(backends, (request, response) -> {
            response.setChunked(true).putHeader("content-type", "text/event-stream");
            response.write("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"par\"}}]}\n\n");
        })) {
            install(table(null, route("stalling", 1000, 0, null, target("stalling", stalling, 1))));

            HttpResponse<InputStream> response = HTTP.send(request(CHAT)
                    .POST(HttpRequest.BodyPublishers.ofString(streamingChatBody("task/stalling"))).build(),
                    HttpResponse.BodyHandlers.ofInputStream());

            assertThat(response.statusCode()).isEqualTo(200);
            assertThatThrownBy(() -> response.body().readAllBytes()).isInstanceOf(IOException.class);
        }
    }

    /**
     * Streams one after the other reuse the router's pooled upstream connection for longer than the route timeout: a
     * timer left over from an earlier stream must not cut a later one.
     */
    @Test
    void pooledConnectionsOutliveTheTimeoutsOfEarlierStreams() throws Exception {
        try (FakeBackend slm = FakeBackend.start(backends, FakeBackend.stream(backends, 5, "a", "b"))) {
            install(table(null, route("pooled", 1000, 0, null, target("pooled", slm, 1))));

            long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(2500);
            int streams = 0;
            while (System.nanoTime() < until) {
                HttpResponse<String> response = post(CHAT, streamingChatBody("task/pooled"), java.util.Map.of());
                assertThat(response.body()).as("stream %d", streams).endsWith("data: [DONE]\n\n");
                streams++;
            }
            assertThat(streams).isGreaterThan(5);
        }
    }

    private static void closeConnection(HttpServerResponse response) {
        response.close();
    }
}
