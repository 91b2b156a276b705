package io.slmfleet.delegation.figures;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.slmfleet.delegation.StepFigures;

/**
 * Figures read from a Prometheus that scrapes the router pods, through its HTTP API (/api/v1/query), with the queries of
 * {@link #queries}. The router's pods are selected by the {@code namespace} and {@code pod} labels that Prometheus'
 * Kubernetes discovery (and the Prometheus Operator's PodMonitor and ServiceMonitor) put on every series.
 * <p>
 * Unknown is never zero: the figures are unavailable when Prometheus does not answer or has no series of the router
 * at all. Once the router is known to be scraped, a query with no result means nothing was counted in the window.
 */
public final class PrometheusFigures implements FiguresSource {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The six instant queries of one window, at its end. */
    record Queries(String routerScraped, String comparisons, String liveCalls, String shadowCalls, String candidateLatency,
            String referenceLatency) {
    }

    private final URI address;
    private final HttpClient http;
    private final Duration timeout;

    /**
     * @param address base URL of the Prometheus HTTP API, e.g. http://prometheus.monitoring.svc:9090
     */
    public PrometheusFigures(URI address, HttpClient http, Duration timeout) {
        this.address = address;
        this.http = http;
        this.timeout = timeout;
    }

    static Queries queries(FiguresWindow window) {
        String router = "namespace=\"" + escape(window.namespace()) + "\",pod=~\"" + escape(window.agentRoute())
                + "-router-[a-z0-9]+-[a-z0-9]+\"";
        String route = router + "," + RouterFigures.ROUTE + "=\"" + escape(window.task()) + "\"";
        String candidate = escape(window.candidate().label());
        long seconds = Math.max(1, (long) Math.ceil(Duration.between(window.start(), window.now()).toMillis() / 1000.0));
        String range = "[" + seconds + "s]";
        return new Queries(
                "count(" + RouterFigures.TABLE_RELOADS + "{" + router + "})",
                "sum by (verdict) (increase(" + RouterFigures.COMPARISONS + "{" + route + ",candidate=\"" + candidate + "\"}"
                        + range + "))",
                "sum by (result) (increase(" + RouterFigures.ATTEMPTS + "{" + route + ",target=\"" + candidate + "\"}" + range + "))",
                "sum by (result) (increase(" + RouterFigures.SHADOW_CALLS + "{" + route + ",target=\"" + candidate + "\"}" + range
                        + "))",
                "sum by (le) (increase(" + RouterFigures.REQUEST_BUCKETS + "{" + route + ",outcome=\"ok\",target=\""
                        + candidate + "\"}" + range + "))",
                "sum by (le) (increase(" + RouterFigures.REQUEST_BUCKETS + "{" + route + ",outcome=\"ok\",target!=\""
                        + candidate + "\",target!=\"" + RouterFigures.NO_TARGET + "\"}" + range + "))");
    }

    @Override
    public Optional<StepFigures> read(FiguresWindow window) {
        Queries queries = queries(window);
        long time = window.now().getEpochSecond();
        Optional<Map<String, Double>> scraped = query(queries.routerScraped(), null, time);
        if (scraped.isEmpty() || scraped.get().isEmpty()) {
            return Optional.empty();
        }
        Optional<Map<String, Double>> verdicts = query(queries.comparisons(), RouterFigures.VERDICT, time);
        Optional<Map<String, Double>> liveCalls = query(queries.liveCalls(), RouterFigures.RESULT, time);
        Optional<Map<String, Double>> shadowCalls = query(queries.shadowCalls(), RouterFigures.RESULT, time);
        Optional<Map<String, Double>> candidate = query(queries.candidateLatency(), RouterFigures.LE, time);
        Optional<Map<String, Double>> reference = query(queries.referenceLatency(), RouterFigures.LE, time);
        if (verdicts.isEmpty() || liveCalls.isEmpty() || shadowCalls.isEmpty() || candidate.isEmpty() || reference.isEmpty()) {
            return Optional.empty();
        }
        Map<String, Double> calls = new HashMap<>(liveCalls.get());
        shadowCalls.get().forEach((result, count) -> calls.merge(result, count, Double::sum));
        return Optional.of(new StepFigures(RouterFigures.comparisons(verdicts.get()), RouterFigures.calls(calls),
                RouterFigures.latencyRatio(buckets(candidate.get()), buckets(reference.get()))));
    }

    /**
     * The vector a query returns, by the value of one label (null: the single series' value under ""); NaN samples are
     * left out. Empty when Prometheus could not be asked or refused the query.
     */
    private Optional<Map<String, Double>> query(String promql, String label, long time) {
        URI uri = URI.create(address.toString().replaceAll("/+$", "") + "/api/v1/query?query="
                + URLEncoder.encode(promql, StandardCharsets.UTF_8) + "&time=" + time);
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).timeout(timeout).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                return Optional.empty();
            }
            JsonNode body = JSON.readTree(response.body());
            if (!"success".equals(body.path("status").asText()) || !"vector".equals(body.path("data").path("resultType").asText())) {
                return Optional.empty();
            }
            Map<String, Double> values = new HashMap<>();
            for (JsonNode series : body.path("data").path("result")) {
                double value = PrometheusText.value(series.path("value").path(1).asText());
                if (!Double.isNaN(value)) {
                    values.merge(label == null ? "" : series.path("metric").path(label).asText(), value, Double::sum);
                }
            }
            return Optional.of(values);
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private static NavigableMap<Double, Double> buckets(Map<String, Double> byLe) {
        NavigableMap<Double, Double> buckets = new TreeMap<>();
        byLe.forEach((le, count) -> buckets.put(PrometheusText.value(le), count));
        return buckets;
    }

    private static String escape(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
