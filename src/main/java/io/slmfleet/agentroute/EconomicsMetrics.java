package io.slmfleet.agentroute;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.slmfleet.api.v1alpha1.AgentRoute;
import io.slmfleet.api.v1alpha1.AgentRouteStatus;

/**
 * The operator's gauges of each AgentRoute's economics, as its status shows them: SLM share, savings ratio and estimated
 * cost over the window (NaN while a figure is unknown, e.g. a price is missing).
 */
@ApplicationScoped
public class EconomicsMetrics {

    private final MeterRegistry registry;
    private final Map<String, AgentRouteStatus.Economics> latest = new ConcurrentHashMap<>();

    public EconomicsMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void record(AgentRoute route, AgentRouteStatus.Economics economics) {
        String key = route.getMetadata().getNamespace() + "/" + route.getMetadata().getName();
        if (economics == null) {
            return;
        }
        if (latest.put(key, economics) == null) {
            gauge("slmfleet.agentroute.slm.share", "Share of the answered requests the SLMs served, in percent", route, key,
                    figures -> figures.slmShare == null ? Double.NaN : figures.slmShare);
            gauge("slmfleet.agentroute.savings.ratio", "All-LLM cost of the same traffic over the estimated cost", route, key,
                    figures -> figures.savingsRatio == null ? Double.NaN : figures.savingsRatio);
            gauge("slmfleet.agentroute.estimated.cost", "Estimated cost of the route's traffic over the window, in USD",
                    route, key, figures -> figures.estimatedCost == null ? Double.NaN : figures.estimatedCost);
        }
    }

    private void gauge(String name, String description, AgentRoute route, String key,
            ToDoubleFunction<AgentRouteStatus.Economics> figure) {
        Gauge.builder(name, latest, figures -> figures.containsKey(key) ? figure.applyAsDouble(figures.get(key)) : Double.NaN)
                .description(description)
                .tag("namespace", route.getMetadata().getNamespace())
                .tag("agentroute", route.getMetadata().getName())
                .register(registry);
    }
}
