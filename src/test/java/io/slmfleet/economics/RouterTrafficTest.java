package io.slmfleet.economics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.slmfleet.delegation.figures.CounterAccumulator.Series;

class RouterTrafficTest {

    @Test
    void answeredRequestsAndTokensBySpecialistAndLlm() {
        Map<Series, Double> increments = new HashMap<>();
        increments.put(requests("parsing", "invoice-parser/invoice-v3", "ok"), 80.0);
        increments.put(requests("parsing", "invoice-parser/invoice-v3", "invalid_output"), 5.0);
        increments.put(requests("parsing", "invoice-parser", "ok"), 10.0);
        // answered by nobody, or not with 2xx: not traffic anyone served
        increments.put(requests("parsing", "invoice-parser", "error"), 7.0);
        increments.put(requests("parsing", "none", "error"), 3.0);
        increments.put(requests("parsing", "unknown", "bad_request"), 2.0);
        increments.put(requests("parsing", "fallback", "ok"), 5.0);
        increments.put(tokens("parsing", "invoice-parser/invoice-v3", "prompt"), 8000.0);
        increments.put(tokens("parsing", "invoice-parser/invoice-v3", "completion"), 850.0);
        increments.put(tokens("parsing", "invoice-parser", "prompt"), 1000.0);
        increments.put(tokens("parsing", "fallback", "prompt"), 600.0);
        increments.put(tokens("parsing", "fallback", "completion"), 70.0);
        // a route this AgentRoute no longer has, and another metric
        increments.put(requests("retired", "invoice-parser", "ok"), 1000.0);
        increments.put(new Series("slmfleet_router_fallbacks_total", Map.of("route", "parsing", "reason", "error")), 5.0);

        Map<String, Set<String>> targeted = new LinkedHashMap<>();
        targeted.put("parsing", Set.of("invoice-parser"));
        targeted.put("summaries", Set.of("summarizer"));
        List<RouteTraffic> routes = RouterTraffic.of(increments, targeted);

        assertThat(routes).containsExactly(
                new RouteTraffic("parsing", Map.of("invoice-parser", new Traffic(95, 9000, 850)), new Traffic(5, 600, 70)),
                new RouteTraffic("summaries", Map.of("summarizer", Traffic.NONE), Traffic.NONE));
    }

    private static Series requests(String route, String target, String outcome) {
        return new Series(RouterTraffic.REQUESTS, Map.of("route", route, "target", target, "outcome", outcome));
    }

    private static Series tokens(String route, String target, String kind) {
        return new Series(RouterTraffic.TOKENS, Map.of("route", route, "target", target, "kind", kind));
    }
}
