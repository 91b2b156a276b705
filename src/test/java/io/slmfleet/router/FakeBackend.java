package io.slmfleet.router;

import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerResponse;

/** An OpenAI-compatible model server on a random loopback port whose answers a test scripts. */
final class FakeBackend implements AutoCloseable {

    static final ObjectMapper MAPPER = new ObjectMapper();

    /** What the backend does with one request. */
    interface Behavior {
        void answer(Received request, HttpServerResponse response);
    }

    record Received(String path, MultiMap headers, JsonNode body) {
        String model() {
            return body.path("model").asText();
        }
    }

    private final Vertx vertx;
    private final HttpServer server;
    private final AtomicReference<Behavior> behavior;
    private final ConcurrentLinkedQueue<Received> received = new ConcurrentLinkedQueue<>();

    private FakeBackend(Vertx vertx, Behavior initial) throws Exception {
        this.vertx = vertx;
        this.behavior = new AtomicReference<>(initial);
        this.server = vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
            Received copy = new Received(request.path(), MultiMap.caseInsensitiveMultiMap().addAll(request.headers()),
                    body.length() == 0 ? MAPPER.nullNode() : parse(body));
            received.add(copy);
            behavior.get().answer(copy, request.response());
        })).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    static FakeBackend start(Vertx vertx, Behavior behavior) throws Exception {
        return new FakeBackend(vertx, behavior);
    }

    private static JsonNode parse(Buffer body) {
        try {
            return MAPPER.readTree(body.getBytes());
        } catch (Exception e) {
            return MAPPER.getNodeFactory().textNode(body.toString());
        }
    }

    String endpoint() {
        return "http://127.0.0.1:" + server.actualPort() + "/v1";
    }

    int port() {
        return server.actualPort();
    }

    void behave(Behavior next) {
        behavior.set(next);
    }

    List<Received> received() {
        return List.copyOf(received);
    }

    int count() {
        return received.size();
    }

    void clear() {
        received.clear();
    }

    Vertx vertx() {
        return vertx;
    }

    @Override
    public void close() throws Exception {
        server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    // --- behaviors

    /** A chat completion whose content is the given text, naming the model it was asked for, with usage. */
    static Behavior completion(String content) {
        return (request, response) -> json(response, 200, chatCompletion(request.model(), content));
    }

    static ObjectNode chatCompletion(String model, String content) {
        ObjectNode answer = MAPPER.createObjectNode().put("id", "chatcmpl-1").put("object", "chat.completion")
                .put("created", 1).put("model", model);
        ObjectNode choice = answer.putArray("choices").addObject().put("index", 0).put("finish_reason", "stop");
        choice.putObject("message").put("role", "assistant").put("content", content);
        answer.putObject("usage").put("prompt_tokens", 11).put("completion_tokens", 7).put("total_tokens", 18);
        return answer;
    }

    static Behavior toolCall(String name, String arguments) {
        return (request, response) -> {
            ObjectNode answer = chatCompletion(request.model(), null);
            ObjectNode message = (ObjectNode) answer.path("choices").get(0).path("message");
            message.putNull("content");
            message.putArray("tool_calls").addObject().put("id", "call_1").put("type", "function")
                    .putObject("function").put("name", name).put("arguments", arguments);
            json(response, 200, answer);
        };
    }

    static Behavior status(int status) {
        return (request, response) -> json(response, status, MAPPER.createObjectNode().set("error",
                MAPPER.createObjectNode().put("message", "backend says " + status)));
    }

    /** Accepts the request, then closes the connection without answering. */
    static Behavior hangUp() {
        return (request, response) -> response.close();
    }

    static Behavior delayed(long millis, Behavior then, Vertx vertx) {
        return (request, response) -> vertx.setTimer(millis, t -> {
            if (!response.closed()) {
                then.answer(request, response);
            }
        });
    }

    /** Never answers; the router must give up on its own. */
    static Behavior silent() {
        return (request, response) -> {
        };
    }

    /**
     * Streams server-sent events: each piece as a chat.completion.chunk, the first one at once and the next ones
     * {@code gapMillis} apart, then a usage event and [DONE].
     */
    static Behavior stream(Vertx vertx, long gapMillis, String... pieces) {
        return (request, response) -> {
            response.setChunked(true).putHeader("content-type", "text/event-stream");
            sendPiece(vertx, response, request.model(), pieces, 0, gapMillis);
        };
    }

    private static void sendPiece(Vertx vertx, HttpServerResponse response, String model, String[] pieces, int index,
            long gapMillis) {
        if (response.closed()) {
            return;
        }
        if (index == pieces.length) {
            ObjectNode usage = MAPPER.createObjectNode().put("id", "chatcmpl-1").put("object", "chat.completion.chunk")
                    .put("model", model);
            usage.putArray("choices");
            usage.putObject("usage").put("prompt_tokens", 5).put("completion_tokens", pieces.length);
            response.write("data: " + usage + "\n\n");
            response.end("data: [DONE]\n\n");
            return;
        }
        ObjectNode chunk = MAPPER.createObjectNode().put("id", "chatcmpl-1").put("object", "chat.completion.chunk")
                .put("model", model);
        ObjectNode choice = chunk.putArray("choices").addObject().put("index", 0);
        choice.putObject("delta").put("content", pieces[index]);
        if (index == pieces.length - 1) {
            choice.put("finish_reason", "stop");
        } else {
            choice.putNull("finish_reason");
        }
        response.write("data: " + chunk + "\n\n");
        vertx.setTimer(Math.max(1, gapMillis), t -> sendPiece(vertx, response, model, pieces, index + 1, gapMillis));
    }

    static void json(HttpServerResponse response, int status, JsonNode body) {
        if (response.closed()) {
            return;
        }
        response.setStatusCode(status).putHeader("content-type", "application/json").end(body.toString());
    }
}
