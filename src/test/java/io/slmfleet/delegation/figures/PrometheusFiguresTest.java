package io.slmfleet.delegation.figures;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.sun.net.httpserver.HttpServer;

import io.slmfleet.delegation.Candidate;
import io.slmfleet.delegation.Comparisons;
import io.slmfleet.delegation.StepFigures;

/**
 * The Prometheus source against a real Prometheus (Debian's prometheus package) scraping a router page every second:
 * counts through a counter reset, the latency ratio, and unavailable (never zero) when Prometheus is unreachable or
 * does not scrape the router. Skipped when the prometheus binary is not installed.
 */
class PrometheusFiguresTest {

    static final Candidate V4 = new Candidate("invoice-parser", "invoice-v4");
    static final String POD = "invoice-agent-router-5d8f7c9b4-x7k2p";
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void unreachablePrometheusIsUnavailable() throws IOException {
        PrometheusFigures figures = new PrometheusFigures(URI.create("http://127.0.0.1:" + freePort()), HTTP, Duration.ofSeconds(2));
        Instant now = Instant.now();
        assertThat(figures.read(new FiguresWindow("agents", "invoice-agent", "parsing", V4, now.minusSeconds(60), now))).isEmpty();
    }

    @Test
    void queriesAreTheOnesTheDocsShow() {
        Instant start = Instant.parse("2026-12-01T10:00:00Z");
        PrometheusFigures.Queries queries = PrometheusFigures.queries(
                new FiguresWindow("agents", "invoice-agent", "parsing", V4, start, start.plusSeconds(600)));
        String router = "namespace=\"agents\",pod=~\"invoice-agent-router-[a-z0-9]+-[a-z0-9]+\"";
        assertThat(queries.routerScraped()).isEqualTo("count(slmfleet_router_table_reloads_total{" + router + "})");
        assertThat(queries.comparisons()).isEqualTo("sum by (verdict) (increase(slmfleet_router_comparisons_total{" + router
                + ",route=\"parsing\",candidate=\"invoice-parser/invoice-v4\"}[600s]))");
        assertThat(queries.liveCalls()).isEqualTo("sum by (result) (increase(slmfleet_router_upstream_attempts_total{" + router
                + ",route=\"parsing\",target=\"invoice-parser/invoice-v4\"}[600s]))");
        assertThat(queries.shadowCalls()).isEqualTo("sum by (result) (increase(slmfleet_router_shadow_calls_seconds_count{" + router
                + ",route=\"parsing\",target=\"invoice-parser/invoice-v4\"}[600s]))");
        assertThat(queries.candidateLatency()).isEqualTo("sum by (le) (increase(slmfleet_router_requests_seconds_bucket{"
                + router + ",route=\"parsing\",outcome=\"ok\",target=\"invoice-parser/invoice-v4\"}[600s]))");
        assertThat(queries.referenceLatency()).isEqualTo("sum by (le) (increase(slmfleet_router_requests_seconds_bucket{"
                + router + ",route=\"parsing\",outcome=\"ok\",target!=\"invoice-parser/invoice-v4\",target!=\"none\"}[600s]))");
    }

    @Test
    void readsTheRoutersCountersThroughARealPrometheus(@TempDir Path directory) throws Exception {
        Optional<Path> binary = prometheusBinary();
        assumeTrue(binary.isPresent(), "the prometheus binary is not installed (Debian: apt-get install prometheus)");

        AtomicReference<String> page = new AtomicReference<>(page(100, 0, 0, 0, 0));
        HttpServer router = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        router.createContext("/q/metrics", exchange -> {
            byte[] body = page.get().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/plain; version=0.0.4");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        router.start();
        int port = freePort();
        Files.writeString(directory.resolve("prometheus.yml"), """
                global:
                  scrape_interval: 1s
                scrape_configs:
                  - job_name: router
                    metrics_path: /q/metrics
                    static_configs:
                      - targets: ["127.0.0.1:%d"]
                        labels: {namespace: agents, pod: %s}
                """.formatted(router.getAddress().getPort(), POD));
        Process prometheus = new ProcessBuilder(binary.get().toString(),
                "--config.file=" + directory.resolve("prometheus.yml"), "--storage.tsdb.path=" + directory.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port)
                .redirectErrorStream(true).redirectOutput(directory.resolve("prometheus.log").toFile()).start();
        try {
            URI address = URI.create("http://127.0.0.1:" + port);
            awaitReady(address);
            PrometheusFigures figures = new PrometheusFigures(address, HTTP, Duration.ofSeconds(5));
            awaitSamples(address, 3);
            Instant start = Instant.now();
            // the candidate agrees 300 more times, disagrees 10 times, times out on 10 shadow calls, and serves 100 live
            // answers at 0.5-1 s
            page.set(page(400, 10, 10, 100, 100));
            awaitScrapedAgreements(address, 400);
            // the router restarts: every counter starts again from 0, then 50 more agreements
            page.set(page(50, 0, 0, 0, 0));
            awaitScrapedAgreements(address, 50);
            Instant now = Instant.now();

            StepFigures read = figures.read(new FiguresWindow("agents", "invoice-agent", "parsing", V4, start, now)).orElseThrow();
            // increase() extrapolates to the window's edges: a little above what was counted, never below
            assertThat(read.comparisons().agree()).isBetween(350L, 450L);
            assertThat(read.comparisons().disagree()).isBetween(10L, 13L);
            assertThat(read.comparisons().candidateError()).isZero();
            // 100 live answers, 310 + 50 shadow answers and 10 shadow timeouts
            assertThat(read.calls().calls()).isBetween(470L, 600L);
            assertThat(read.calls().failed()).isBetween(10L, 13L);
            assertThat(read.latencyRatio()).hasValueCloseTo(0.975 / 0.475, within(1e-6));

            Candidate other = new Candidate("invoice-parser", "invoice-v5");
            assertThat(figures.read(new FiguresWindow("agents", "invoice-agent", "parsing", other, start, now)))
                    .as("scraped router, no comparison of that candidate: zero, known")
                    .hasValueSatisfying(none -> assertThat(none.comparisons()).isEqualTo(Comparisons.NONE));
            assertThat(figures.read(new FiguresWindow("elsewhere", "invoice-agent", "parsing", V4, start, now)))
                    .as("a router Prometheus does not scrape: unknown").isEmpty();
        } finally {
            prometheus.destroy();
            if (!prometheus.waitFor(10, TimeUnit.SECONDS)) {
                prometheus.destroyForcibly();
            }
            router.stop(0);
        }
    }

    /**
     * A router's page: the candidate's comparisons, its shadow calls (one per comparison, and those that timed out), its
     * live answers (0.5-1 s), and the trusted target's live answers (under 0.5 s).
     */
    static String page(long agree, long disagree, long shadowTimeouts, long candidateAnswers, long trustedAnswers) {
        return """
                # TYPE slmfleet_router_table_reloads_total counter
                slmfleet_router_table_reloads_total{result="loaded"} 1.0
                # TYPE slmfleet_router_comparisons_total counter
                slmfleet_router_comparisons_total{candidate="invoice-parser/invoice-v4",route="parsing",verdict="agree"} %d.0
                slmfleet_router_comparisons_total{candidate="invoice-parser/invoice-v4",route="parsing",verdict="disagree"} %d.0
                # TYPE slmfleet_router_upstream_attempts_total counter
                slmfleet_router_upstream_attempts_total{result="ok",route="parsing",target="invoice-parser/invoice-v4"} %d.0
                # TYPE slmfleet_router_shadow_calls_seconds histogram
                slmfleet_router_shadow_calls_seconds_count{result="ok",route="parsing",target="invoice-parser/invoice-v4"} %d.0
                slmfleet_router_shadow_calls_seconds_count{result="timeout",route="parsing",target="invoice-parser/invoice-v4"} %d.0
                # TYPE slmfleet_router_requests_seconds histogram
                slmfleet_router_requests_seconds_bucket{outcome="ok",route="parsing",target="invoice-parser/invoice-v4",le="0.5"} 0.0
                slmfleet_router_requests_seconds_bucket{outcome="ok",route="parsing",target="invoice-parser/invoice-v4",le="1.0"} %d.0
                slmfleet_router_requests_seconds_bucket{outcome="ok",route="parsing",target="invoice-parser/invoice-v4",le="+Inf"} %d.0
                slmfleet_router_requests_seconds_bucket{outcome="ok",route="parsing",target="invoice-parser/invoice-v3",le="0.5"} %d.0
                slmfleet_router_requests_seconds_bucket{outcome="ok",route="parsing",target="invoice-parser/invoice-v3",le="1.0"} %d.0
                slmfleet_router_requests_seconds_bucket{outcome="ok",route="parsing",target="invoice-parser/invoice-v3",le="+Inf"} %d.0
                """.formatted(agree, disagree, candidateAnswers, agree + disagree, shadowTimeouts, candidateAnswers, candidateAnswers,
                        trustedAnswers, trustedAnswers, trustedAnswers);
    }

    static Optional<Path> prometheusBinary() {
        for (String directory : System.getenv().getOrDefault("PATH", "").split(":")) {
            Path candidate = Path.of(directory, "prometheus");
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    static void awaitReady(URI address) throws Exception {
        for (int attempt = 0; attempt < 300; attempt++) {
            try {
                if (HTTP.send(HttpRequest.newBuilder(address.resolve("/-/ready")).build(), HttpResponse.BodyHandlers.discarding())
                        .statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(100);
        }
        throw new AssertionError("Prometheus did not become ready in 30 s");
    }

    /** Waits until Prometheus holds this many scrapes of the router. */
    static void awaitSamples(URI address, int samples) throws Exception {
        String query = "count_over_time(slmfleet_router_table_reloads_total[1m])";
        for (int attempt = 0; attempt < 300; attempt++) {
            String body = HTTP.send(HttpRequest.newBuilder(URI.create(address + "/api/v1/query?query="
                    + URLEncoder.encode(query, StandardCharsets.UTF_8))).build(), HttpResponse.BodyHandlers.ofString()).body();
            Matcher count = Pattern.compile("\"value\":\\[[0-9.]+,\"([0-9]+)\"\\]").matcher(body);
            if (count.find() && Integer.parseInt(count.group(1)) >= samples) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("Prometheus did not scrape the router " + samples + " times in 30 s");
    }

    /**
     * Waits until Prometheus has stored the page's agreement count, then for one scrape more: fixed sleeps lost the
     * 400 page under load (a scrape came late and the window saw only the restart's 50).
     */
    static void awaitScrapedAgreements(URI address, long agree) throws Exception {
        String query = "slmfleet_router_comparisons_total{verdict=\"agree\"}";
        for (int attempt = 0; attempt < 300; attempt++) {
            String body = HTTP.send(HttpRequest.newBuilder(URI.create(address + "/api/v1/query?query="
                    + URLEncoder.encode(query, StandardCharsets.UTF_8))).build(), HttpResponse.BodyHandlers.ofString()).body();
            Matcher value = Pattern.compile("\"value\":\\[[0-9.]+,\"([0-9.]+)\"\\]").matcher(body);
            if (value.find() && Double.parseDouble(value.group(1)) == agree) {
                Thread.sleep(1500); // the scrape interval is 1 s
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("Prometheus did not scrape " + agree + " agreements in 30 s");
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
