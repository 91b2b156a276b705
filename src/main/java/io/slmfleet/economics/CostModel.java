package io.slmfleet.economics;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.TreeSet;

/**
 * What an AgentRoute's traffic cost over a window, and what it would have cost on the LLM alone.
 * <p>
 * A specialist's GPUs are paid for by the hour whether they answer or not, so its cost over the window is its price
 * per hour times the window, shared among the routes it answered by their tokens (input and output); a specialist
 * that answered nothing splits its cost evenly among the routes that target it. Only this AgentRoute's routes are
 * seen: a specialist that also serves other AgentRoutes has its whole cost charged here. The LLM costs its tokens at
 * its prices: its answers, a delegation's shadow calls to it (the teacher) and its judge's calls (at the judge's own
 * prices when it states them), and its answers to requests no route matched (the AgentRoute's, in the total only).
 * No price is ever missing silently: a cost that needs a missing price is unknown and the missing price is named.
 */
public final class CostModel {

    private static final double SECONDS_PER_HOUR = 3600.0;

    private CostModel() {
    }

    /** An AgentRoute without shadow or judge calls, and without answers to unknown tasks. */
    public static Economics estimate(Duration window, List<RouteTraffic> routes, Map<String, SpecialistGpus> specialists,
            GpuPrices gpuPrices, Optional<LlmPrices> llmPrices) {
        return estimate(window, routes, Traffic.NONE, specialists, gpuPrices, llmPrices, Map.of());
    }

    /**
     * @param unknownTask what the fallback LLM answered for requests no route matched: priced at the LLM's prices, in
     *        the total only
     * @param specialists the GPUs of the specialists in the routes' traffic, by name; one not found makes the costs
     *        of the routes it answered unknown
     * @param llmPrices the fallback LLM's prices, when the AgentRoute states them; shadow calls to the teacher are
     *        priced at them too
     * @param judgePrices the prices of a route's judge, by route, when the judge states its own; a route's judge
     *        without them is priced at the fallback LLM's
     */
    public static Economics estimate(Duration window, List<RouteTraffic> routes, Traffic unknownTask,
            Map<String, SpecialistGpus> specialists, GpuPrices gpuPrices, Optional<LlmPrices> llmPrices,
            Map<String, LlmPrices> judgePrices) {
        TreeSet<String> missingPrices = new TreeSet<>();
        Map<String, Double> windowCosts = new HashMap<>();
        Map<String, Long> tokensServed = new HashMap<>();
        Map<String, Integer> routesServed = new HashMap<>();
        double hours = window.toMillis() / 1000.0 / SECONDS_PER_HOUR;
        for (RouteTraffic route : routes) {
            route.bySpecialist().forEach((specialist, traffic) -> {
                tokensServed.merge(specialist, traffic.tokens(), Long::sum);
                routesServed.merge(specialist, 1, Integer::sum);
            });
        }
        for (String specialist : routesServed.keySet()) {
            SpecialistGpus gpus = specialists.get(specialist);
            Optional<Double> perHour = gpus == null ? Optional.empty() : gpuPrices.perHour(gpus);
            if (perHour.isPresent()) {
                windowCosts.put(specialist, perHour.get() * hours);
            } else {
                missingPrices.add(gpus == null ? "GPUs of specialist " + specialist + " (not found)" : GpuPrices.missing(gpus));
            }
        }
        if (llmPrices.isEmpty()) {
            missingPrices.add("LLM token prices (spec.fallback.pricing)");
        }

        List<RouteEconomics> perRoute = new ArrayList<>();
        Traffic slm = Traffic.NONE;
        Traffic llm = Traffic.NONE;
        LlmSpend shadow = LlmSpend.NONE;
        LlmSpend judge = LlmSpend.NONE;
        OptionalDouble estimated = OptionalDouble.of(0);
        OptionalDouble llmCost = OptionalDouble.of(0);
        for (RouteTraffic route : routes) {
            LlmSpend routeShadow = LlmSpend.priced(route.shadowLlm(), llmPrices);
            Optional<LlmPrices> judgePrice = Optional.ofNullable(judgePrices.get(route.route())).or(() -> llmPrices);
            LlmSpend routeJudge = LlmSpend.priced(route.judgeLlm(), judgePrice);
            OptionalDouble routeLlmCost = sum(LlmSpend.priced(route.llm(), llmPrices).cost(),
                    sum(routeShadow.cost(), routeJudge.cost()));
            OptionalDouble routeCost = sum(gpuCost(route, windowCosts, tokensServed, routesServed), routeLlmCost);
            perRoute.add(new RouteEconomics(route.route(), route.slm(), route.llm(), routeShadow, routeJudge, routeCost,
                    allLlmCost(route.slm().plus(route.llm()), llmPrices), routeLlmCost));
            slm = slm.plus(route.slm());
            llm = llm.plus(route.llm());
            shadow = shadow.plus(routeShadow);
            judge = judge.plus(routeJudge);
            estimated = sum(estimated, routeCost);
            llmCost = sum(llmCost, routeLlmCost);
        }
        LlmSpend unknown = LlmSpend.priced(unknownTask, llmPrices);
        llm = llm.plus(unknownTask);
        RouteEconomics total = new RouteEconomics(null, slm, llm, shadow, judge, sum(estimated, unknown.cost()),
                allLlmCost(slm.plus(llm), llmPrices), sum(llmCost, unknown.cost()));
        return new Economics(window, perRoute, total, unknown, List.copyOf(missingPrices));
    }

    /** The sum of two costs; empty when either is unknown. */
    static OptionalDouble sum(OptionalDouble one, OptionalDouble other) {
        return one.isPresent() && other.isPresent() ? OptionalDouble.of(one.getAsDouble() + other.getAsDouble())
                : OptionalDouble.empty();
    }

    /** The route's share of its specialists' GPU time; empty when a specialist's price is missing. */
    private static OptionalDouble gpuCost(RouteTraffic route, Map<String, Double> windowCosts, Map<String, Long> tokensServed,
            Map<String, Integer> routesServed) {
        double cost = 0;
        for (Map.Entry<String, Traffic> served : route.bySpecialist().entrySet()) {
            String specialist = served.getKey();
            Double windowCost = windowCosts.get(specialist);
            if (windowCost == null) {
                return OptionalDouble.empty();
            }
            long allTokens = tokensServed.get(specialist);
            double share = allTokens > 0 ? (double) served.getValue().tokens() / allTokens : 1.0 / routesServed.get(specialist);
            cost += windowCost * share;
        }
        return OptionalDouble.of(cost);
    }

    private static OptionalDouble allLlmCost(Traffic traffic, Optional<LlmPrices> llmPrices) {
        return llmPrices.map(prices -> OptionalDouble.of(prices.cost(traffic))).orElse(OptionalDouble.empty());
    }
}
