package io.slmfleet.agentroute;

import java.util.List;
import java.util.Optional;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.slmfleet.api.v1alpha1.AgentRouteStatus;

/**
 * The input of an AgentRoute's status besides the route itself: what {@link RouteDecision} decided from what was
 * {@link Observed}, and the router Deployment it saw.
 *
 * @param rendered the routes rendered from the current input
 * @param problems every broken input: the rendering's, then missing Secrets
 * @param served the table the router is given (the rendered one, or the last good one while an input is broken)
 * @param router the router Deployment, as the informer last saw it
 * @param delegations what this look decided for the routes' delegations
 * @param economics the figures of status.economics (the previous ones unless a rounded figure moved), or null
 */
public record RouteObservation(RenderedRoutes rendered, List<InputProblem> problems, ServedTable served,
        Optional<Deployment> router, RouteDelegations.Looked delegations, AgentRouteStatus.Economics economics) {

    public RouteObservation {
        problems = List.copyOf(problems);
    }
}
