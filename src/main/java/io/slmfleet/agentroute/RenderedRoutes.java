package io.slmfleet.agentroute;

import java.util.List;

import io.slmfleet.routing.RoutingTable;

/**
 * What an AgentRoute renders into from the current state of its namespace.
 *
 * @param table the routing table: ready targets with their effective weights; a route with a broken input has no target
 * @param targets every target of the spec, resolved, in spec order
 * @param problems broken input found while rendering (unknown specialist, adapter not listed, unusable response schema)
 */
public record RenderedRoutes(RoutingTable table, List<ResolvedTarget> targets, List<InputProblem> problems) {

    public RenderedRoutes {
        targets = List.copyOf(targets);
        problems = List.copyOf(problems);
    }
}
