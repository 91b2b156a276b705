package io.slmfleet.agentroute;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.slmfleet.api.v1alpha1.EvaluationJob;
import io.slmfleet.api.v1alpha1.SLMSpecialist;
import io.slmfleet.delegation.StepFigures;
import io.slmfleet.delegation.figures.FiguresWindow;
import io.slmfleet.economics.SlidingIncrements;

/**
 * What an AgentRoute's reconcile read of its world, once and before deciding anything: with the route itself, the
 * operator's settings and the clock, the only input of {@link RouteDecision}.
 *
 * @param at when it was read: the end of the delegations' figure windows, and the time their decisions are taken at
 * @param specialists the SLMSpecialists the route names (targets and delegation candidates) with their readiness and
 *        adapters, as the informer last saw them; a name without one is a specialist that does not exist
 * @param evaluations the EvaluationJobs the route's delegations take their candidates from (candidatesFrom), as the
 *        informer last saw them; a name without one is an evaluation that does not exist
 * @param figures each delegation window measured now (a ready, unpaused candidate that shadows or steps) with its
 *        figures, from the router pods or the delegation's Prometheus; empty when they could not be read
 * @param schemas each response schema the route references, as its ConfigMap holds it, or why it cannot be used
 * @param secretKeys each Secret key the route references (see {@link RouteSecrets}) and whether it is there
 * @param traffic the router's counter increments over the economics window; empty when no router replica is ready or
 *        the counters could not be read
 * @param children the route's children, as the informer last saw them
 */
public record Observed(Instant at, List<SLMSpecialist> specialists, List<EvaluationJob> evaluations,
        Map<FiguresWindow, Optional<StepFigures>> figures,
        Map<SchemaRef, ResponseSchema> schemas, Map<SecretKey, SecretKey.Presence> secretKeys,
        Optional<SlidingIncrements.Increments> traffic, Children children) {

    public Observed {
        specialists = List.copyOf(specialists);
        evaluations = List.copyOf(evaluations);
        figures = Map.copyOf(figures);
        schemas = Map.copyOf(schemas);
        secretKeys = Map.copyOf(secretKeys);
    }

    /**
     * @param routingTable the ConfigMap of the table the router serves: the last good one is kept from it
     * @param router the router Deployment: its ready replicas tell whether the router serves
     */
    public record Children(Optional<ConfigMap> routingTable, Optional<Deployment> router, Optional<Service> service,
            Optional<PodDisruptionBudget> disruptionBudget) {
    }
}
