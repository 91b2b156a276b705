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

    @Test
    void shadowCallsToTheTeacherAndJudgeCallsByRouteAndWhatNoRouteMatched() {
        Map<Series, Double> increments = new HashMap<>();
        increments.put(shadowCalls("parsing", "fallback", "ok"), 40.0);
        // a failed call reported no usage: not an answered call
        increments.put(shadowCalls("parsing", "fallback", "timeout"), 2.0);
        increments.put(shadowTokens("parsing", "fallback", "prompt"), 4000.0);
        increments.put(shadowTokens("parsing", "fallback", "completion"), 400.0);
        increments.put(shadowCalls("parsing", "judge", "ok"), 30.0);
        increments.put(shadowTokens("parsing", "judge", "prompt"), 9000.0);
        increments.put(shadowTokens("parsing", "judge", "completion"), 30.0);
        // the candidate's shadow calls run on its specialist's GPUs, paid by the hour: no LLM spend
        increments.put(shadowCalls("parsing", "invoice-parser/invoice-v4", "ok"), 70.0);
        increments.put(shadowTokens("parsing", "invoice-parser/invoice-v4", "prompt"), 7000.0);
        // answered by the fallback for a task no route has (the router's route label "unknown")
        increments.put(requests("unknown", "fallback", "ok"), 6.0);
        increments.put(requests("unknown", "none", "bad_request"), 9.0);
        increments.put(tokens("unknown", "fallback", "prompt"), 600.0);
        increments.put(tokens("unknown", "fallback", "completion"), 60.0);

        Map<String, Set<String>> targeted = new LinkedHashMap<>();
        targeted.put("parsing", Set.of("invoice-parser"));
        List<RouteTraffic> routes = RouterTraffic.of(increments, targeted);

        assertThat(routes).containsExactly(new RouteTraffic("parsing", Map.of("invoice-parser", Traffic.NONE), Traffic.NONE,
                new Traffic(40, 4000, 400), new Traffic(30, 9000, 30)));
        assertThat(RouterTraffic.unknownTask(increments, targeted.keySet())).isEqualTo(new Traffic(6, 600, 60));
    }

    private static Series shadowCalls(String route, String target, String result) {
        return new Series(RouterTraffic.SHADOW_CALLS, Map.of("route", route, "target", target, "result", result));
    }

    private static Series shadowTokens(String route, String target, String kind) {
        return new Series(RouterTraffic.SHADOW_TOKENS, Map.of("route", route, "target", target, "kind", kind));
    }

    private static Series requests(String route, String target, String outcome) {
        return new Series(RouterTraffic.REQUESTS, Map.of("route", route, "target", target, "outcome", outcome));
    }

    private static Series tokens(String route, String target, String kind) {
        return new Series(RouterTraffic.TOKENS, Map.of("route", route, "target", target, "kind", kind));
    }
}
