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
 * its prices. No price is ever guessed: a cost that needs a missing price is unknown and the missing price is named.
 */
public final class CostModel {

    private static final double SECONDS_PER_HOUR = 3600.0;

    private CostModel() {
    }

    /**
     * @param specialists the GPUs of the specialists in the routes' traffic, by name; one not found makes the costs
     *        of the routes it answered unknown
     * @param llmPrices the fallback LLM's prices, when the AgentRoute states them
     */
    public static Economics estimate(Duration window, List<RouteTraffic> routes, Map<String, SpecialistGpus> specialists,
            GpuPrices gpuPrices, Optional<LlmPrices> llmPrices) {
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
        boolean estimatedKnown = true;
        double estimated = 0;
        for (RouteTraffic route : routes) {
            OptionalDouble routeCost = routeCost(route, windowCosts, tokensServed, routesServed, llmPrices);
            perRoute.add(new RouteEconomics(route.route(), route.slm(), route.llm(), routeCost,
                    allLlmCost(route.slm().plus(route.llm()), llmPrices)));
            slm = slm.plus(route.slm());
            llm = llm.plus(route.llm());
            estimatedKnown &= routeCost.isPresent();
            estimated += routeCost.orElse(0);
        }
        OptionalDouble totalCost = estimatedKnown ? OptionalDouble.of(estimated) : OptionalDouble.empty();
        RouteEconomics total = new RouteEconomics(null, slm, llm, totalCost, allLlmCost(slm.plus(llm), llmPrices));
        return new Economics(window, perRoute, total, List.copyOf(missingPrices));
    }

    private static OptionalDouble routeCost(RouteTraffic route, Map<String, Double> windowCosts, Map<String, Long> tokensServed,
            Map<String, Integer> routesServed, Optional<LlmPrices> llmPrices) {
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
        if (route.llm().tokens() > 0) {
            if (llmPrices.isEmpty()) {
                return OptionalDouble.empty();
            }
            cost += llmPrices.get().cost(route.llm());
        }
        return OptionalDouble.of(cost);
    }

    private static OptionalDouble allLlmCost(Traffic traffic, Optional<LlmPrices> llmPrices) {
        return llmPrices.map(prices -> OptionalDouble.of(prices.cost(traffic))).orElse(OptionalDouble.empty());
    }
}
