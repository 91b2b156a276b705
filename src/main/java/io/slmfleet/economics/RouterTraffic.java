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

    static final String ROUTE = "route";
    static final String TARGET = "target";
    static final String OUTCOME = "outcome";
    static final String KIND = "kind";
    static final String PROMPT = "prompt";
    static final String COMPLETION = "completion";

    /** The target label of the fallback LLM's answers (io.slmfleet.router.table.ActiveFallback.LABEL). */
    static final String FALLBACK = "fallback";
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
        increments.forEach((series, value) -> {
            Map<String, String> labels = series.labels();
            String target = labels.get(TARGET);
            if (target == null || NO_TARGET.contains(target) || !targetedSpecialists.containsKey(labels.get(ROUTE))) {
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
            routes.add(new RouteTraffic(route, bySpecialist, llm));
        });
        return routes;
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
