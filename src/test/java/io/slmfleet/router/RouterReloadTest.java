package io.slmfleet.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.slmfleet.routing.RoutingTable;
import io.slmfleet.routing.RoutingTableCodec;

@QuarkusTest
@TestProfile(RouterTestProfile.class)
class RouterReloadTest extends RouterTestBase {

    /**
     * Eight callers send requests without pause while the table file is swapped 16 times between two targets, picked
     * up by the router's own file watch: not one request may fail, and each table must have served traffic.
     */
    @Test
    void reloadsTheTableUnderLoadWithoutFailingARequest() throws Exception {
        try (FakeBackend blue = FakeBackend.start(backends, FakeBackend.delayed(5, FakeBackend.completion("blue"), backends));
                FakeBackend green = FakeBackend.start(backends, FakeBackend.delayed(5, FakeBackend.completion("green"), backends))) {
            RoutingTable blueTable = table(null, route("parsing", target("blue", blue, 1)));
            RoutingTable greenTable = table(null, route("parsing", target("green", green, 1)));
            install(blueTable);

            AtomicBoolean running = new AtomicBoolean(true);
            ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
            Map<String, AtomicInteger> servedBy = new ConcurrentHashMap<>();
            ExecutorService callers = Executors.newFixedThreadPool(8);
            List<Future<?>> loops = new ArrayList<>();
            HttpRequest request = request(CHAT).header("x-agent-task", "parsing")
                    .POST(HttpRequest.BodyPublishers.ofString(chatBody("x"))).build();
            for (int i = 0; i < 8; i++) {
                loops.add(callers.submit(() -> {
                    while (running.get()) {
                        try {
                            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
                            if (response.statusCode() != 200) {
                                failures.add(response.statusCode() + " " + response.body());
                            } else {
                                servedBy.computeIfAbsent(header(response, "x-slmfleet-target"),
                                        k -> new AtomicInteger()).incrementAndGet();
                            }
                        } catch (Exception e) {
                            failures.add(e.toString());
                        }
                    }
                    return null;
                }));
            }
            int blueBefore = 0;
            int greenBefore = 0;
            for (int swap = 0; swap < 16; swap++) {
                boolean toGreen = swap % 2 == 0;
                writeTable(RoutingTableCodec.toJson(toGreen ? greenTable : blueTable));
                FakeBackend next = toGreen ? green : blue;
                int before = next.count();
                await().atMost(Duration.ofSeconds(5)).until(() -> next.count() > before + 5);
                blueBefore += toGreen ? 0 : 1;
                greenBefore += toGreen ? 1 : 0;
            }
            running.set(false);
            for (Future<?> loop : loops) {
                loop.get(20, TimeUnit.SECONDS);
            }
            callers.shutdown();

            assertThat(failures).isEmpty();
            assertThat(servedBy.keySet()).containsExactlyInAnyOrder("blue", "green");
            assertThat(blueBefore + greenBefore).isEqualTo(16);
            // the last swap went back to blue: green is no longer called
            int greenAfter = green.count();
            for (int i = 0; i < 10; i++) {
                assertThat(header(chatForTask("parsing"), "x-slmfleet-target")).isEqualTo("blue");
            }
            assertThat(green.count()).isEqualTo(greenAfter);
        }
    }

    @Test
    void requestsInFlightFinishOnTheTableTheyStartedWith() throws Exception {
        try (FakeBackend slow = FakeBackend.start(backends, FakeBackend.delayed(400, FakeBackend.completion("slow"), backends));
                FakeBackend fast = FakeBackend.start(backends, FakeBackend.completion("fast"))) {
            install(table(null, route("parsing", target("slow", slow, 1))));
            CompletableFuture<HttpResponse<String>> inFlight = HTTP.sendAsync(request(CHAT)
                    .header("x-agent-task", "parsing").POST(HttpRequest.BodyPublishers.ofString(chatBody("x"))).build(),
                    HttpResponse.BodyHandlers.ofString());
            await().atMost(Duration.ofSeconds(5)).until(() -> slow.count() == 1);

            install(table(null, route("other", target("fast", fast, 1))));

            HttpResponse<String> response = inFlight.get(10, TimeUnit.SECONDS);
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(header(response, "x-slmfleet-target")).isEqualTo("slow");
            assertThat(chatForTask("parsing").statusCode()).as("the new table has no parsing route").isEqualTo(404);
        }
    }

    @Test
    void aBrokenTableKeepsTheLastGoodOneAndIsReported() throws Exception {
        try (FakeBackend slm = FakeBackend.start(backends, FakeBackend.completion("fine"))) {
            RoutingTable good = table(null, route("parsing", target("slm", slm, 1)));
            install(good);
            String goodHash = server.tables().current().hash();

            List<String> broken = List.of(
                    "{\"apiVersion\": \"slmfleet.io/routing-table/v1\", \"routes\": [",
                    RoutingTableCodec.toJson(good).replace(RoutingTable.API_VERSION, "slmfleet.io/routing-table/v9"),
                    RoutingTableCodec.toJson(table(null, route("parsing", 0, 0, null, target("slm", slm, 1)))),
                    RoutingTableCodec.toJson(table(null, route("parsing", 1000, 0, Map.of("type", 12),
                            target("slm", slm, 1)))),
                    RoutingTableCodec.toJson(good).replace(slm.endpoint(), "ftp://nowhere"));
            for (String content : broken) {
                writeTable(content);
                server.reloadChangedFiles();

                assertThat(server.tables().current().hash()).as(content).isEqualTo(goodHash);
                assertThat(server.tables().problem()).as(content).contains("rejected").contains("still serving " + goodHash);
                assertThat(chatForTask("parsing").statusCode()).isEqualTo(200);
                HttpResponse<String> ready = HTTP.send(HttpRequest.newBuilder(root.resolve("/q/health/ready")).GET()
                        .build(), HttpResponse.BodyHandlers.ofString());
                assertThat(ready.statusCode()).isEqualTo(200);
                assertThat(ready.body()).contains("\"problem\"").contains(goodHash);
            }

            Files.delete(tableFile());
            server.reloadChangedFiles();
            assertThat(server.tables().problem()).contains("does not exist");
            assertThat(chatForTask("parsing").statusCode()).isEqualTo(200);

            install(good);
            assertThat(server.tables().problem()).isNull();
            String metrics = HTTP.send(HttpRequest.newBuilder(root.resolve("/q/metrics")).GET().build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertThat(metrics).containsPattern("slmfleet_router_table_reloads_total\\{result=\"rejected\"} [1-9]");
        }
    }
}
