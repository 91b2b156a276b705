package io.slmfleet.agentroute;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.slmfleet.api.v1alpha1.AgentRoute;
import io.slmfleet.api.v1alpha1.AgentRouteStatus;
import io.slmfleet.api.v1alpha1.RouteSpec;
import io.slmfleet.api.v1alpha1.SLMSpecialist;
import io.slmfleet.economics.CostModel;
import io.slmfleet.economics.Economics;
import io.slmfleet.economics.GpuPrices;
import io.slmfleet.economics.LlmPrices;
import io.slmfleet.economics.RouterTraffic;
import io.slmfleet.economics.SlidingIncrements;
import io.slmfleet.economics.SpecialistGpus;

/**
 * An AgentRoute's status.economics from its router's traffic over the window, the specialists' GPUs and the prices;
 * pure. The previous figures are kept unless a rounded figure moved, so reading the counters writes nothing by itself.
 */
final class RouteCosts {


    private RouteCosts() {
    }

    /**
     * @param increments the router's counter increments over the window; empty when they could not be read
     * @param specialists the SLMSpecialists of the route's namespace
     */
    static AgentRouteStatus.Economics next(AgentRoute route, Optional<SlidingIncrements.Increments> increments,
            List<SLMSpecialist> specialists, GpuPrices gpuPrices) {
        AgentRouteStatus.Economics previous = route.getStatus() == null ? null : route.getStatus().economics;
        if (increments.isEmpty()) {
            // unknown is not zero: the last figures stay, marked stale (their age: now minus readTime)
            return previous == null ? null : EconomicsStatus.stale(previous);
        }
        SlidingIncrements.Increments read = increments.get();
        if (!read.until().isAfter(read.since())) {
            return previous; // a first read measures no span yet
        }
        Map<String, SpecialistGpus> gpus = new LinkedHashMap<>();
        for (SLMSpecialist specialist : specialists) {
            gpus.put(specialist.getMetadata().getName(), SpecialistGpus.of(specialist));
        }
        Optional<LlmPrices> llmPrices = route.getSpec().fallback == null || route.getSpec().fallback.pricing == null
                ? Optional.empty()
                : Optional.of(new LlmPrices(route.getSpec().fallback.pricing.inputPerMillionTokens,
                        route.getSpec().fallback.pricing.outputPerMillionTokens));
        Map<String, Set<String>> targeted = targetedSpecialists(route);
        Economics economics = CostModel.estimate(Duration.between(read.since(), read.until()),
                RouterTraffic.of(read.bySeries(), targeted), RouterTraffic.unknownTask(read.bySeries(), targeted.keySet()),
                gpus, gpuPrices, llmPrices, judgePrices(route));
        AgentRouteStatus.Economics next = EconomicsStatus.of(economics, read.since(), read.until());
        boolean wasStale = previous != null && Boolean.TRUE.equals(previous.stale);
        return wasStale || EconomicsStatus.moved(previous, next) ? next : previous;
    }

    /** The prices of each route's judge that states its own (delegation.judge.pricing); the others cost the fallback's. */
    static Map<String, LlmPrices> judgePrices(AgentRoute route) {
        Map<String, LlmPrices> prices = new LinkedHashMap<>();
        for (RouteSpec routeSpec : route.getSpec().routes) {
            if (routeSpec.delegation != null && routeSpec.delegation.judge != null && routeSpec.delegation.judge.pricing != null) {
                var pricing = routeSpec.delegation.judge.pricing;
                prices.put(routeSpec.task, new LlmPrices(pricing.inputPerMillionTokens, pricing.outputPerMillionTokens));
            }
        }
        return prices;
    }

    /** Each route (task) with the specialists it targets, its delegation's candidate included. */
    static Map<String, Set<String>> targetedSpecialists(AgentRoute route) {
        Map<String, Set<String>> targeted = new LinkedHashMap<>();
        for (RouteSpec routeSpec : route.getSpec().routes) {
            Set<String> names = new LinkedHashSet<>();
            routeSpec.targets.forEach(target -> names.add(target.specialist));
            if (routeSpec.delegation != null) {
                routeSpec.delegation.entrants().forEach(candidate -> names.add(candidate.specialist));
            }
            targeted.put(routeSpec.task, names);
        }
        return targeted;
    }

}
