package io.slmfleet.agentroute;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.slmfleet.api.v1alpha1.AgentRoute;
import io.slmfleet.api.v1alpha1.AgentRouteStatus;
import io.slmfleet.config.OperatorConfig;
import io.slmfleet.economics.GpuPrices;

/**
 * What an AgentRoute's reconcile decided: a pure function of the route, what was {@link Observed}, the operator's
 * settings and the clock, so it reads nothing and writes nothing itself.
 *
 * @param children the children to apply; the routing table is the one just rendered, or the last good one while an
 *        input is broken
 * @param status the status to write
 * @param lookAgainAfter when to reconcile again without an event; empty: at the next event (or the maximal interval)
 */
public record RouteDecision(RouteChildren children, AgentRouteStatus status, Optional<Duration> lookAgainAfter) {

    /**
     * The operator's settings the decision depends on.
     *
     * @param missingReferenceRecheck how soon to look again while a referenced ConfigMap or Secret is the problem
     * @param analysisInterval how often a delegation's figures are read while it compares its candidate
     */
    public record Settings(RouterSettings router, GpuPrices gpuPrices, Duration missingReferenceRecheck,
            Duration analysisInterval) {

        public static Settings from(OperatorConfig config) {
            return new Settings(RouterSettings.from(config),
                    new GpuPrices(config.economics().gpuPricePerHour(), config.economics().migPricePerHour()),
                    config.missingReferenceRecheck(), config.delegation().analysisInterval());
        }
    }

    public static RouteDecision of(AgentRoute route, Observed observed, Settings settings, Clock clock) {
        RouteDelegations.Looked looked = RouteDelegations.decide(route, observed.specialists(), observed.evaluations(),
                observed.figures(), settings.gpuPrices(), observed.at());
        RenderedRoutes rendered = RoutingTableRenderer.render(route, observed.specialists(), observed.schemas(),
                looked.servings());
        List<InputProblem> problems = new ArrayList<>(rendered.problems());
        problems.addAll(RouteSecrets.missing(route, observed.secretKeys()));

        // Broken input never replaces a table rendered from complete input: the router keeps serving that one.
        Optional<ServedTable> lastGood = problems.isEmpty() ? Optional.empty()
                : observed.children().routingTable().flatMap(RoutingConfigMap::lastGood);
        ServedTable served = lastGood.orElseGet(() -> ServedTable.rendered(rendered.table()));
        // A share the router is not given is not taken: while the last good table serves, delegations stay where they were.
        RouteDelegations.Looked delegated = lastGood.isPresent() ? RouteDelegations.held(route) : looked;
        RouteChildren children = RouteChildren.desired(route, served, served.lastGood() || problems.isEmpty(),
                settings.router());

        // What the traffic of the last window cost and saved: the previous figures unless a rounded one moved.
        AgentRouteStatus.Economics economics = RouteCosts.next(route, observed.traffic(), observed.specialists(),
                settings.gpuPrices());
        AgentRouteStatus status = RouteStatusLogic.derive(route, new RouteObservation(rendered, problems, served,
                observed.children().router(), delegated, economics), clock);
        return new RouteDecision(children, status, lookAgainAfter(problems, delegated.measuring(), settings));
    }

    /**
     * Referenced ConfigMaps and Secrets are not watched: look again soon while one of them is the problem. A
     * delegation's figures grow with no event either: look at them again every analysis interval.
     */
    private static Optional<Duration> lookAgainAfter(List<InputProblem> problems, boolean measuring, Settings settings) {
        if (!problems.isEmpty()) {
            return Optional.of(measuring && settings.analysisInterval().compareTo(settings.missingReferenceRecheck()) < 0
                    ? settings.analysisInterval() : settings.missingReferenceRecheck());
        }
        return measuring ? Optional.of(settings.analysisInterval()) : Optional.empty();
    }
}
