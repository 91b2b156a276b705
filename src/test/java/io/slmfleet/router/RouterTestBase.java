package io.slmfleet.router;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

import io.slmfleet.routing.RoutingTable;
import io.slmfleet.routing.RoutingTable.Fallback;
import io.slmfleet.routing.RoutingTable.FallbackReason;
import io.slmfleet.routing.RoutingTable.Route;
import io.slmfleet.routing.RoutingTable.Target;
import io.slmfleet.routing.RoutingTable.UsageCapture;
import io.slmfleet.routing.RoutingTableCodec;
import io.vertx.core.Vertx;

/** The router in router mode on Quarkus' HTTP server, fake backends on their own Vert.x, a plain JDK HTTP client. */
abstract class RouterTestBase {

    static final String CHAT = "/v1/chat/completions";
    static final String FALLBACK_KEY_VARIABLE = "SLMFLEET_TEST_FALLBACK_KEY";
    static final String FALLBACK_KEY = "fallback-secret-key";

    static Vertx backends;
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @Inject
    RouterServer server;

    /** The router's own server, as callers, probes and scrapes reach it. */
    URI root;

    @BeforeEach
    void locateRouter() {
        root = URI.create("http://localhost:" + server.port() + "/");
    }

    @BeforeAll
    static void startBackends() {
        backends = Vertx.vertx();
        System.setProperty(FALLBACK_KEY_VARIABLE, FALLBACK_KEY);
    }

    @AfterAll
    static void stopBackends() throws Exception {
        backends.close().toCompletionStage().toCompletableFuture().get();
    }

    static Path tableFile() {
        return Path.of(ConfigProvider.getConfig().getValue("slmfleet.router.table-file", String.class));
    }

    /** Swaps the table file atomically, as kubelet does, and reloads it now. */
    void install(RoutingTable table) throws IOException {
        writeTable(RoutingTableCodec.toJson(table));
        server.reloadChangedFiles();
        assertThat(server.tables().problem()).isNull();
        assertThat(server.tables().current().source()).isEqualTo(table);
    }

    static void writeTable(String content) throws IOException {
        Path target = tableFile();
        Path next = Files.createTempFile(target.getParent(), "next", ".json");
        Files.writeString(next, content);
        Files.move(next, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    static RoutingTable table(Fallback fallback, Route... routes) {
        return new RoutingTable(RoutingTable.API_VERSION, "agents/test", Arrays.asList(routes), fallback, null);
    }

    static RoutingTable table(Fallback fallback, UsageCapture capture, Route... routes) {
        return new RoutingTable(RoutingTable.API_VERSION, "agents/test", Arrays.asList(routes), fallback, capture);
    }

    static Route route(String task, long timeoutMillis, int retries, Object schema, Target... targets) {
        return new Route(task, Arrays.asList(targets), timeoutMillis, retries, schema);
    }

    static Route route(String task, Target... targets) {
        return route(task, 2000, 0, null, targets);
    }

    static Target target(String specialist, FakeBackend backend, int weight) {
        return new Target(specialist, null, backend.endpoint(), specialist + "-model", weight);
    }

    static Target adapterTarget(String specialist, String adapter, FakeBackend backend, int weight) {
        return new Target(specialist, adapter, backend.endpoint(), adapter, weight);
    }

    static Fallback fallback(FakeBackend backend, FallbackReason... on) {
        return new Fallback(backend.endpoint(), "big-llm", FALLBACK_KEY_VARIABLE, List.of(on));
    }

    static Fallback fallbackForAll(FakeBackend backend) {
        return fallback(backend, FallbackReason.values());
    }

    static String chatBody(String model) {
        return "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}";
    }

    static String streamingChatBody(String model) {
        return "{\"model\":\"" + model + "\",\"stream\":true,\"stream_options\":{\"include_usage\":true},"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}";
    }

    HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(root.resolve(path)).timeout(Duration.ofSeconds(20))
                .header("authorization", "Bearer " + RouterTestProfile.TOKEN);
    }

    HttpResponse<String> post(String path, String body, Map<String, String> headers) throws Exception {
        HttpRequest.Builder builder = request(path).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(builder::setHeader);
        return HTTP.send(builder.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> chat(String model) throws Exception {
        return post(CHAT, chatBody(model), Map.of());
    }

    HttpResponse<String> chatForTask(String task) throws Exception {
        return post(CHAT, chatBody("anything"), Map.of("x-agent-task", task));
    }

    static String header(HttpResponse<?> response, String name) {
        return response.headers().firstValue(name).orElse(null);
    }

    static String errorCode(HttpResponse<String> response) throws IOException {
        return FakeBackend.MAPPER.readTree(response.body()).path("error").path("code").asText();
    }
}
