package io.slmfleet.economics;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.slmfleet.delegation.figures.CounterAccumulator.Series;

/**
 * The router metrics economics reads, and how a window's increments of them become each route's traffic. Names are
 * those Micrometer exports on the router's /q/metrics (see io.slmfleet.router.RouterMetrics).
 */
public final class RouterTraffic {

    /** Requests by route, target (label) and outcome: the count of the requests timer. */
    public static final String REQUESTS = "slmfleet_router_requests_seconds_count";
    /** Tokens by route, target (label) and kind (prompt, completion), as the targets' usage reported them. */
    public static final String TOKENS = "slmfleet_router_tokens_total";
    /** Shadow calls by route, target (the candidate, a reference target, fallback or judge) and result. */
    public static final String SHADOW_CALLS = "slmfleet_router_shadow_calls_seconds_count";
    /** Tokens of shadow calls' answers by route, target and kind, as their usage reported them. */
    public static final String SHADOW_TOKENS = "slmfleet_router_shadow_tokens_total";
    /** Every series economics reads. */
    public static final Set<String> SERIES = Set.of(REQUESTS, TOKENS, SHADOW_CALLS, SHADOW_TOKENS);

    static final String ROUTE = "route";
    static final String TARGET = "target";
    static final String OUTCOME = "outcome";
    static final String RESULT = "result";
    static final String KIND = "kind";
    static final String PROMPT = "prompt";
    static final String COMPLETION = "completion";

    /** The target label of the fallback LLM's answers (io.slmfleet.router.table.ActiveFallback.LABEL). */
    static final String FALLBACK = "fallback";
    /** The target label of a delegation's judge in the shadow series (io.slmfleet.router.shadow.ShadowComparisons). */
    static final String JUDGE = "judge";
    /** The route label of requests no route matched (io.slmfleet.router.RouterMetrics.UNKNOWN). */
    static final String UNKNOWN_ROUTE = "unknown";
    /** The result of a shadow call answered with 2xx JSON: an answered, paid call. */
    private static final String SHADOW_OK = "ok";
    /** Target labels of requests no target answered. */
    private static final Set<String> NO_TARGET = Set.of("none", "unknown");
    /** Outcomes of requests a target answered with 2xx: the answered requests. */
    private static final Set<String> ANSWERED = Set.of("ok", "invalid_output");

    private RouterTraffic() {
    }

    /**
     * Each route's traffic from the increments of the router's series over the window.
     *
     * @param targetedSpecialists each route (task) of the AgentRoute, in order, with the specialists it targets: they
     *        appear in its traffic even when they answered nothing
     */
    public static List<RouteTraffic> of(Map<Series, Double> increments, Map<String, Set<String>> targetedSpecialists) {
        Map<String, Map<String, Traffic>> byRouteAndSide = new HashMap<>();
        Map<String, Traffic> shadowLlm = new HashMap<>();
        Map<String, Traffic> judgeLlm = new HashMap<>();
        increments.forEach((series, value) -> {
            Map<String, String> labels = series.labels();
            String target = labels.get(TARGET);
            if (target == null || NO_TARGET.contains(target) || !targetedSpecialists.containsKey(labels.get(ROUTE))) {
                return;
            }
            if (series.name().equals(SHADOW_CALLS) || series.name().equals(SHADOW_TOKENS)) {
                // the candidate's and the trusted targets' shadow calls run on GPUs paid by the hour: only the LLM's count
                Map<String, Traffic> line = FALLBACK.equals(target) ? shadowLlm : JUDGE.equals(target) ? judgeLlm : null;
                Traffic counted = shadowCounted(series.name(), labels, Math.round(value));
                if (line != null && counted != null) {
                    line.merge(labels.get(ROUTE), counted, Traffic::plus);
                }
                return;
            }
            Traffic counted = counted(series.name(), labels, Math.round(value));
            if (counted != null) {
                String side = FALLBACK.equals(target) ? FALLBACK : specialist(target);
                byRouteAndSide.computeIfAbsent(labels.get(ROUTE), route -> new HashMap<>()).merge(side, counted, Traffic::plus);
            }
        });
        List<RouteTraffic> routes = new ArrayList<>();
        targetedSpecialists.forEach((route, specialists) -> {
            Map<String, Traffic> bySpecialist = new HashMap<>();
            specialists.forEach(specialist -> bySpecialist.put(specialist, Traffic.NONE));
            Map<String, Traffic> served = new HashMap<>(byRouteAndSide.getOrDefault(route, Map.of()));
            Traffic llm = served.getOrDefault(FALLBACK, Traffic.NONE);
            served.remove(FALLBACK);
            served.forEach((specialist, traffic) -> bySpecialist.merge(specialist, traffic, Traffic::plus));
            routes.add(new RouteTraffic(route, bySpecialist, llm, shadowLlm.getOrDefault(route, Traffic.NONE),
                    judgeLlm.getOrDefault(route, Traffic.NONE)));
        });
        return routes;
    }

    /**
     * What the fallback LLM answered for requests no route matched (the router's route label {@value #UNKNOWN_ROUTE},
     * target {@value #FALLBACK}). None when one of the AgentRoute's routes is itself named so: the label cannot tell
     * them apart, and {@link #of} counts it as that route's.
     *
     * @param tasks the AgentRoute's routes
     */
    public static Traffic unknownTask(Map<Series, Double> increments, Set<String> tasks) {
        if (tasks.contains(UNKNOWN_ROUTE)) {
            return Traffic.NONE;
        }
        Traffic answered = Traffic.NONE;
        for (Map.Entry<Series, Double> increment : increments.entrySet()) {
            Map<String, String> labels = increment.getKey().labels();
            if (UNKNOWN_ROUTE.equals(labels.get(ROUTE)) && FALLBACK.equals(labels.get(TARGET))) {
                Traffic counted = counted(increment.getKey().name(), labels, Math.round(increment.getValue()));
                answered = counted == null ? answered : answered.plus(counted);
            }
        }
        return answered;
    }

    /** What one shadow series' increment adds: answered calls (result ok) and their tokens; null otherwise. */
    private static Traffic shadowCounted(String name, Map<String, String> labels, long count) {
        if (name.equals(SHADOW_CALLS)) {
            return SHADOW_OK.equals(labels.get(RESULT)) ? new Traffic(count, 0, 0) : null;
        }
        return counted(TOKENS, labels, count);
    }

    /** What one series' increment adds to its target's traffic; null when the series is not traffic. */
    private static Traffic counted(String name, Map<String, String> labels, long count) {
        if (name.equals(REQUESTS) && ANSWERED.contains(labels.get(OUTCOME))) {
            return new Traffic(count, 0, 0);
        }
        if (name.equals(TOKENS) && PROMPT.equals(labels.get(KIND))) {
            return new Traffic(0, count, 0);
        }
        if (name.equals(TOKENS) && COMPLETION.equals(labels.get(KIND))) {
            return new Traffic(0, 0, count);
        }
        return null;
    }

    /** The specialist of a target label: specialist, or specialist/adapter (an adapter runs on its specialist's GPUs). */
    private static String specialist(String target) {
        int slash = target.indexOf('/');
        return slash < 0 ? target : target.substring(0, slash);
    }
}
