package io.slmfleet.agentroute;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.slmfleet.api.v1alpha1.AgentRoute;
import io.slmfleet.api.v1alpha1.AgentRouteStatus.DelegationPhase;
import io.slmfleet.api.v1alpha1.AgentRouteStatus.DelegationStatus;
import io.slmfleet.api.v1alpha1.EvaluationJob;
import io.slmfleet.api.v1alpha1.RouteSpec;
import io.slmfleet.api.v1alpha1.SLMSpecialist;
import io.slmfleet.api.v1alpha1.TargetSpec;
import io.slmfleet.config.OperatorConfig;
import io.slmfleet.delegation.Candidate;
import io.slmfleet.delegation.CandidateReadiness;
import io.slmfleet.delegation.DelegationDecision;
import io.slmfleet.delegation.DelegationPolicy;
import io.slmfleet.delegation.DelegationState;
import io.slmfleet.delegation.DelegationStatuses;
import io.slmfleet.delegation.StepFigures;
import io.slmfleet.delegation.figures.FiguresSource;
import io.slmfleet.delegation.figures.FiguresWindow;
import io.slmfleet.delegation.figures.PrometheusFigures;
import io.slmfleet.delegation.figures.RouterPodFigures;
import io.slmfleet.economics.GpuPrices;

/**
 * The delegations of an AgentRoute: reading the figures of each candidate being compared since its current window
 * started (from the router pods, or from Prometheus when the delegation names one), then one pure look at every
 * delegation: the candidate's readiness (resolved like a target), those figures and the decision. What comes out is the
 * candidates' live shares the routing table is rendered with and the status entries.
 */
@ApplicationScoped
public class RouteDelegations {

    /**
     * @param servings each delegating route's candidate share of live traffic and comparison rate, by task
     * @param statuses the status entries, in the spec's route order
     * @param analysisUnavailable tasks whose figures could not be read (their phase was held)
     * @param measuring whether a delegation compares its candidate: the figures grow without an event, so the route is
     *        looked at again after the analysis interval
     */
    public record Looked(Map<String, CandidateServing> servings, List<DelegationStatus> statuses, List<String> analysisUnavailable,
            boolean measuring) {
    }

    /** No GPU price: what reading the figures needs of a tournament's ranking (nothing). */
    private static final GpuPrices UNPRICED = new GpuPrices(Map.of(), Map.of());

    private final FiguresSource routerPods;
    private final Function<URI, FiguresSource> prometheus;

    /** Reads the router pods' own metrics (the pods listed by label when figures are read) or a Prometheus. */
    @Inject
    public RouteDelegations(KubernetesClient client, OperatorConfig config) {
        Duration timeout = config.delegation().metricsTimeout();
        HttpClient http = HttpClient.newBuilder().connectTimeout(timeout).build();
        Map<URI, FiguresSource> byAddress = new ConcurrentHashMap<>();
        this.routerPods = new RouterPodFigures((namespace, agentRoute) -> RouterPods.ready(client, namespace, agentRoute),
                http, timeout);
        this.prometheus = address -> byAddress.computeIfAbsent(address, a -> new PrometheusFigures(a, http, timeout));
    }

    /**
     * @param routerPods the figures of the router pods themselves (one for the operator: it keeps their sums)
     * @param prometheus a Prometheus' figures, by address
     */
    public RouteDelegations(FiguresSource routerPods, Function<URI, FiguresSource> prometheus) {
        this.routerPods = routerPods;
        this.prometheus = prometheus;
    }


    /**
     * Reads the figures of every window measured now: a delegation comparing a ready, unpaused candidate, since its
     * window started. The only reads of a look; {@link #decide} takes it from there.
     *
     * @param specialists the SLMSpecialists the route names
     * @param evaluations the EvaluationJobs its delegations take their candidates from
     */
    public Map<FiguresWindow, Optional<StepFigures>> readFigures(AgentRoute route, List<SLMSpecialist> specialists,
            List<EvaluationJob> evaluations, Instant now) {
        Map<String, ResolvedTarget> candidates = RoutingTableRenderer.candidates(route, specialists);
        Map<FiguresWindow, Optional<StepFigures>> figures = new LinkedHashMap<>();
        for (RouteSpec routeSpec : route.getSpec().routes) {
            if (routeSpec.delegation != null && routeSpec.delegation.tournament()) {
                Optional<RouteTournaments.Entrants> field = entrants(routeSpec, specialists, UNPRICED,
                        fromEvaluation(route, routeSpec, evaluations));
                if (field.isEmpty()) {
                    continue;
                }
                List<Candidate> entrants = field.get().candidates();
                for (FiguresWindow window : RouteTournaments.windows(route, routeSpec, entrants,
                        tournamentCandidates(route, routeSpec, entrants, specialists), now)) {
                    figures.put(window, source(routeSpec).read(window));
                }
            } else if (routeSpec.delegation != null) {
                measuredWindow(route, routeSpec, candidates.get(routeSpec.task), now)
                        .ifPresent(window -> figures.put(window, source(routeSpec).read(window)));
            }
        }
        return figures;
    }

    /**
     * One look at every delegation of the route; pure.
     *
     * @param specialists the SLMSpecialists the route names
     * @param figures what {@link #readFigures} read for the same route, specialists and time
     */
    public static Looked decide(AgentRoute route, List<SLMSpecialist> specialists,
            Map<FiguresWindow, Optional<StepFigures>> figures, Instant now) {
        return decide(route, specialists, List.of(), figures, UNPRICED, now);
    }

    /**
     * One look at every delegation of the route; pure.
     *
     * @param specialists the SLMSpecialists the route names
     * @param evaluations the EvaluationJobs its delegations take their candidates from (candidatesFrom)
     * @param figures what {@link #readFigures} read for the same route, specialists, evaluations and time
     * @param prices what a tournament of spec candidates ranks them by (their specialists' GPU price per hour)
     */
    public static Looked decide(AgentRoute route, List<SLMSpecialist> specialists, List<EvaluationJob> evaluations,
            Map<FiguresWindow, Optional<StepFigures>> figures, GpuPrices prices, Instant now) {
        Map<String, ResolvedTarget> candidates = RoutingTableRenderer.candidates(route, specialists);
        Map<String, CandidateServing> servings = new LinkedHashMap<>();
        List<DelegationStatus> statuses = new ArrayList<>();
        List<String> unavailable = new ArrayList<>();
        boolean measuring = false;
        for (RouteSpec routeSpec : route.getSpec().routes) {
            if (routeSpec.delegation == null) {
                continue;
            }
            if (routeSpec.delegation.tournament()) {
                Optional<EvaluationEntrants.Resolution> fromEvaluation = fromEvaluation(route, routeSpec, evaluations);
                Optional<RouteTournaments.Entrants> field = entrants(routeSpec, specialists, prices, fromEvaluation);
                RouteTournaments.Outcome outcome = field.isPresent()
                        ? RouteTournaments.decide(route, routeSpec, field.get(),
                                tournamentCandidates(route, routeSpec, field.get().candidates(), specialists), figures, now)
                        : RouteTournaments.waiting(route, routeSpec,
                                (EvaluationEntrants.NotStartable) fromEvaluation.orElseThrow(), now);
                servings.put(routeSpec.task, outcome.serving());
                statuses.add(outcome.status());
                if (outcome.analysisUnavailable()) {
                    unavailable.add(routeSpec.task);
                }
                measuring |= outcome.measuring();
                continue;
            }
            DelegationPolicy policy = DelegationPolicy.of(routeSpec.delegation);
            DelegationState previous = previous(route, routeSpec.task);
            CandidateReadiness readiness = readiness(candidates.get(routeSpec.task));
            Optional<StepFigures> windowFigures = measuredWindow(route, routeSpec, candidates.get(routeSpec.task), now)
                    .flatMap(window -> figuresOf(window, figures));
            DelegationDecision.Outcome outcome = DelegationDecision.decide(previous, policy, readiness, windowFigures, now);
            servings.put(routeSpec.task, CandidateServing.of(outcome.state().phase(), outcome.weight(), routeSpec.delegation));
            statuses.add(DelegationStatuses.toStatus(routeSpec.task, outcome.state()));
            if (outcome.analysisUnavailable()) {
                unavailable.add(routeSpec.task);
            }
            DelegationPhase phase = outcome.state().phase();
            measuring |= phase == DelegationPhase.Shadowing || phase == DelegationPhase.Progressing;
        }
        return new Looked(servings, statuses, unavailable, measuring);
    }

    /** The delegations as the route's status left them, for a reconcile that must not move them. */
    public static Looked held(AgentRoute route) {
        List<DelegationStatus> statuses = new ArrayList<>();
        for (RouteSpec routeSpec : route.getSpec().routes) {
            if (routeSpec.delegation != null && route.getStatus() != null) {
                route.getStatus().delegations.stream().filter(entry -> routeSpec.task.equals(entry.task)).findFirst()
                        .ifPresent(statuses::add);
            }
        }
        return new Looked(recordedServings(route), statuses, List.of(), false);
    }

    /**
     * What the route's status records for each candidate: what an offline render shows. A tournament from an
     * evaluation is taken as recorded: a render has no EvaluationJob to check its candidates against.
     */
    public static Map<String, CandidateServing> recordedServings(AgentRoute route) {
        Map<String, CandidateServing> servings = new LinkedHashMap<>();
        for (RouteSpec routeSpec : route.getSpec().routes) {
            if (routeSpec.delegation != null && routeSpec.delegation.tournament()) {
                (routeSpec.delegation.candidatesFrom != null ? RouteTournaments.recorded(route, routeSpec)
                        : RouteTournaments.previous(route, routeSpec,
                                routeSpec.delegation.entrants().stream().map(Candidate::of).toList()))
                        .ifPresent(entry -> servings.put(routeSpec.task, RouteTournaments.serving(routeSpec, entry)));
            } else if (routeSpec.delegation != null) {
                DelegationState state = previous(route, routeSpec.task);
                if (state != null && state.candidate().equals(Candidate.of(routeSpec.delegation.candidate))) {
                    servings.put(routeSpec.task, CandidateServing.of(state.phase(), state.weight(), routeSpec.delegation));
                }
            }
        }
        return servings;
    }

    /** What a tournament's candidatesFrom evaluation gives; empty for a tournament of spec candidates. */
    private static Optional<EvaluationEntrants.Resolution> fromEvaluation(AgentRoute route, RouteSpec routeSpec,
            List<EvaluationJob> evaluations) {
        return routeSpec.delegation.candidatesFrom == null ? Optional.empty()
                : Optional.of(EvaluationEntrants.resolve(route.getMetadata().getNamespace(), routeSpec, evaluations));
    }

    /**
     * A tournament's candidates with the costs they are ranked by: the spec's, or those its candidatesFrom evaluation
     * passed; empty when that evaluation gives none yet (see {@link EvaluationEntrants}).
     */
    private static Optional<RouteTournaments.Entrants> entrants(RouteSpec routeSpec, List<SLMSpecialist> specialists,
            GpuPrices prices, Optional<EvaluationEntrants.Resolution> fromEvaluation) {
        if (fromEvaluation.isEmpty()) {
            return Optional.of(RouteTournaments.Entrants.declared(routeSpec, specialists, prices));
        }
        return fromEvaluation.get() instanceof EvaluationEntrants.Entered entered
                        ? Optional.of(RouteTournaments.Entrants.evaluated(routeSpec.delegation.candidatesFrom.evaluationJob,
                                entered))
                        : Optional.empty();
    }

    /** A tournament's candidates, each resolved like a target, in declared order. */
    private static Map<Candidate, ResolvedTarget> tournamentCandidates(AgentRoute route, RouteSpec routeSpec,
            List<Candidate> entrants, List<SLMSpecialist> specialists) {
        Map<Candidate, ResolvedTarget> resolved = new LinkedHashMap<>();
        for (Candidate candidate : entrants) {
            TargetSpec target = new TargetSpec(candidate.specialist(), candidate.adapter(), 0);
            Optional<SLMSpecialist> found = specialists.stream()
                    .filter(s -> s.getMetadata().getName().equals(candidate.specialist())
                            && (s.getMetadata().getNamespace() == null
                                    || s.getMetadata().getNamespace().equals(route.getMetadata().getNamespace())))
                    .findFirst();
            resolved.put(candidate, RoutingTableRenderer.resolve(routeSpec.task, target, found));
        }
        return resolved;
    }

    /** The state the last look left for the task, or null. */
    private static DelegationState previous(AgentRoute route, String task) {
        if (route.getStatus() == null) {
            return null;
        }
        return route.getStatus().delegations.stream()
                .filter(entry -> task.equals(entry.task))
                .findFirst()
                .map(DelegationStatuses::fromStatus)
                .orElse(null);
    }

    /** The window whose figures are read now, if any (see {@link #measures}). */
    private static Optional<FiguresWindow> measuredWindow(AgentRoute route, RouteSpec routeSpec, ResolvedTarget candidate,
            Instant now) {
        DelegationPolicy policy = DelegationPolicy.of(routeSpec.delegation);
        return measures(previous(route, routeSpec.task), policy, readiness(candidate))
                .map(state -> new FiguresWindow(route.getMetadata().getNamespace(), route.getMetadata().getName(),
                        routeSpec.task, policy.candidate(), state.windowStart(), now));
    }

    /** The state whose window is measured now: a ready, unpaused candidate of the same delegation, comparing. */
    private static Optional<DelegationState> measures(DelegationState previous, DelegationPolicy policy,
            CandidateReadiness readiness) {
        boolean comparing = previous != null && previous.candidate().equals(policy.candidate())
                && (previous.phase() == DelegationPhase.Shadowing || previous.phase() == DelegationPhase.Progressing);
        return comparing && readiness.ready() && !policy.paused() ? Optional.of(previous) : Optional.empty();
    }

    private static Optional<StepFigures> figuresOf(FiguresWindow window,
            Map<FiguresWindow, Optional<StepFigures>> figures) {
        Optional<StepFigures> read = figures.get(window);
        if (read == null) {
            throw new IllegalArgumentException("the figures of " + window + " were not read");
        }
        return read;
    }

    private static CandidateReadiness readiness(ResolvedTarget candidate) {
        return candidate.ready() ? CandidateReadiness.READY : CandidateReadiness.notReady(candidate.reason(),
                candidate.message());
    }

    private FiguresSource source(RouteSpec routeSpec) {
        var analysis = routeSpec.delegation.analysis;
        return analysis != null && analysis.prometheus != null && analysis.prometheus.address != null
                ? prometheus.apply(URI.create(analysis.prometheus.address))
                : routerPods;
    }
}
