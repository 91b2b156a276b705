package io.slmfleet.agentroute;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.slmfleet.api.v1alpha1.AgentRoute;

/**
 * Everything an AgentRoute reconciles into, computed purely from the route, its rendered routes and the operator's
 * settings: what the reconciler applies, and what the golden tests compare.
 */
public record RouteChildren(
        ConfigMap routingTable,
        Deployment deployment,
        Service service,
        Optional<PodDisruptionBudget> disruptionBudget) {

    /**
     * @param table the table to serve: just rendered, or the last good one
     * @param complete whether it was rendered from input without a problem
     */
    public static RouteChildren desired(AgentRoute route, ServedTable table, boolean complete, RouterSettings settings) {
        return new RouteChildren(
                RoutingConfigMap.desired(route, table, complete),
                RouterDeployment.desired(route, settings),
                RouterService.desired(route),
                RouterDisruptionBudget.desired(route));
    }

    /** The configuration first, then the workload that mounts it, its network and its policy. */
    public List<HasMetadata> all() {
        List<HasMetadata> all = new ArrayList<>();
        all.add(routingTable);
        all.add(deployment);
        all.add(service);
        disruptionBudget.ifPresent(all::add);
        return all;
    }
}
