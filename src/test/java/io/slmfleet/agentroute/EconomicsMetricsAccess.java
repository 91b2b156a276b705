package io.slmfleet.agentroute;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.micrometer.core.instrument.MeterRegistry;
import io.slmfleet.api.v1alpha1.AgentRoute;
import io.slmfleet.api.v1alpha1.AgentRouteStatus;

/** Lets tests outside the package record an AgentRoute's economics gauges into a registry of their own. */
public final class EconomicsMetricsAccess {

    private EconomicsMetricsAccess() {
    }

    public static void recordSample(MeterRegistry registry) {
        AgentRoute route = new AgentRoute();
        route.setMetadata(new ObjectMetaBuilder().withNamespace("agents").withName("invoice-agent").build());
        AgentRouteStatus.Economics economics = new AgentRouteStatus.Economics();
        economics.slmShare = 90;
        economics.savingsRatio = 12.5;
        economics.estimatedCost = 1.2;
        new EconomicsMetrics(registry).record(route, economics);
    }
}
