package io.slmfleet.delegation.figures;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpServer;

import io.slmfleet.delegation.Candidate;
import io.slmfleet.delegation.Comparisons;

/** Router pods played by a real HTTP server serving each pod's exposition, which the test changes between reads. */
class RouterPodFiguresTest {

    static final Candidate V4 = new Candidate("invoice-parser", "invoice-v4");
    static final Instant STEP_START = Instant.parse("2026-12-01T10:00:00Z");

    private HttpServer server;
    /** Each pod's page; absent: the pod answers 503. */
    private final Map<String, String> pages = new ConcurrentHashMap<>();
    private List<RouterPodFigures.RouterPod> readyPods;
    private RouterPodFigures figures;

    @BeforeEach
    void startPods() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            String pod = exchange.getRequestURI().getPath().split("/")[1];
            String page = pages.get(pod);
            byte[] body = (page == null ? "unavailable" : page).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(page == null ? 503 : 200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        readyPods = List.of(pod("invoice-agent-router-a"), pod("invoice-agent-router-b"));
        figures = new RouterPodFigures((namespace, agentRoute) -> readyPods, HttpClient.newHttpClient(), Duration.ofSeconds(5));
    }

    @AfterEach
    void stopPods() {
        server.stop(0);
    }

    private RouterPodFigures.RouterPod pod(String name) {
        return new RouterPodFigures.RouterPod(name,
                URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/" + name + "/q/metrics"));
    }

    private static String page(long agree, long disagree) {
        return """
                # TYPE slmfleet_router_comparisons_total counter
                slmfleet_router_comparisons_total{candidate="invoice-parser/invoice-v4",route="parsing",verdict="agree"} %d.0
                slmfleet_router_comparisons_total{candidate="invoice-parser/invoice-v4",route="parsing",verdict="disagree"} %d.0
                slmfleet_router_table_reloads_total{result="loaded"} 1.0
                """.formatted(agree, disagree);
    }

    private Comparisons read(Instant windowStart) {
        return figures.read(new FiguresWindow("agents", "invoice-agent", "parsing", V4, windowStart, windowStart.plusSeconds(60)))
                .orElseThrow().comparisons();
    }

    @Test
    void countsFromTheWindowsFirstReadAcrossPodsAndThroughARestart() {
        pages.put("invoice-agent-router-a", page(100, 5));
        pages.put("invoice-agent-router-b", page(50, 1));
        assertThat(read(STEP_START)).isEqualTo(Comparisons.NONE);

        pages.put("invoice-agent-router-a", page(130, 6));
        pages.put("invoice-agent-router-b", page(10, 0)); // b restarted and counted 10 since
        assertThat(read(STEP_START)).isEqualTo(new Comparisons(40, 1, 0, 0));

        // the next step starts counting from its own first read
        Instant nextStep = STEP_START.plusSeconds(600);
        assertThat(read(nextStep)).isEqualTo(Comparisons.NONE);
        pages.put("invoice-agent-router-a", page(131, 6));
        assertThat(read(nextStep)).isEqualTo(new Comparisons(1, 0, 0, 0));
    }

    @Test
    void aPodThatCannotBeReadMakesTheFiguresUnavailableNotSmaller() {
        pages.put("invoice-agent-router-a", page(100, 5));
        pages.put("invoice-agent-router-b", page(50, 1));
        read(STEP_START);
        pages.remove("invoice-agent-router-b");
        pages.put("invoice-agent-router-a", page(120, 5));
        FiguresWindow window = new FiguresWindow("agents", "invoice-agent", "parsing", V4, STEP_START, STEP_START.plusSeconds(60));
        assertThat(figures.read(window)).isEmpty();

        pages.put("invoice-agent-router-b", "<html>bad gateway</html>");
        assertThat(figures.read(window)).isEmpty();

        // back: what b counted meanwhile is caught up
        pages.put("invoice-agent-router-b", page(60, 1));
        assertThat(read(STEP_START)).isEqualTo(new Comparisons(30, 0, 0, 0));
    }

    @Test
    void aRouteNobodyReadsForAnHourIsForgottenAndCountsAgainFromItsNextRead() {
        pages.put("invoice-agent-router-a", page(100, 5));
        pages.put("invoice-agent-router-b", page(50, 1));
        read(STEP_START);
        pages.put("invoice-agent-router-a", page(110, 5));

        // another route's look, an hour and more later, forgets this one's sums and window
        Instant later = STEP_START.plusSeconds(60).plus(RouterPodFigures.FORGET_AFTER).plusSeconds(1);
        figures.read(new FiguresWindow("agents", "other-agent", "parsing", V4, later, later));

        FiguresWindow again = new FiguresWindow("agents", "invoice-agent", "parsing", V4, STEP_START, later);
        assertThat(figures.read(again).orElseThrow().comparisons()).isEqualTo(Comparisons.NONE);
    }

    @Test
    void noReadyRouterPodIsUnavailable() {
        readyPods = List.of();
        assertThat(figures.read(new FiguresWindow("agents", "invoice-agent", "parsing", V4, STEP_START, STEP_START))).isEmpty();
    }
}
