package io.slmfleet.agentroute;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import io.slmfleet.api.v1alpha1.AgentRoute;
import io.slmfleet.api.v1alpha1.AgentRouteStatus.DelegationPhase;
import io.slmfleet.api.v1alpha1.AgentRouteStatus.DelegationStatus;
import io.slmfleet.api.v1alpha1.AgentRouteStatus.TournamentCandidate;
import io.slmfleet.api.v1alpha1.RouteSpec;
import io.slmfleet.api.v1alpha1.SLMSpecialist;
import io.slmfleet.delegation.Candidate;
import io.slmfleet.delegation.CandidateCalls;
import io.slmfleet.delegation.CandidateReadiness;
import io.slmfleet.delegation.Comparisons;
import io.slmfleet.delegation.Decision;
import io.slmfleet.delegation.DelegationDecision;
import io.slmfleet.delegation.DelegationPolicy;
import io.slmfleet.delegation.DelegationState;
import io.slmfleet.delegation.DelegationStatuses;
import io.slmfleet.delegation.StepEvaluation;
import io.slmfleet.delegation.StepFigures;
import io.slmfleet.delegation.Tournament;
import io.slmfleet.delegation.figures.FiguresWindow;
import io.slmfleet.economics.GpuPrices;
import io.slmfleet.economics.SpecialistGpus;

/**
 * A route's tournament (spec delegation.candidates, or candidatesFrom an EvaluationJob): one pure look. Every
 * candidate's figures since the tournament started, its cost and the candidates rolled back go to
 * {@link Tournament#decide}; once a candidate is chosen, its
 * steps, promotion or roll-back are {@link DelegationDecision}'s, exactly as a single candidate's, and a roll-back runs
 * the tournament again over the others. What the look needs next time (the tournament's start, each candidate's state,
 * the chosen one's delegation state) is kept in the route's status entry, so a restart of the operator changes nothing.
 * <p>
 * <b>Cost.</b> Candidates are ranked by the price per hour of the GPUs their specialist runs on, from the operator's
 * economics settings ({@code costSource: GpuPricePerHour}): a ranking key, not a measured cost per 1,000 requests (two
 * adapters of one specialist cost the same, and then the higher agreement lower bound wins). A specialist whose GPUs
 * have no price ranks dearest ({@code costSource: Unknown}). The entrants of {@code candidatesFrom} are ranked by the
 * cost per 1,000 requests their evaluation measured ({@code costSource: EvaluationJob}), the order they entered in: one
 * unit for the whole tournament, as a GPU price per hour and a cost per 1,000 requests cannot be compared.
 */
final class RouteTournaments {

    static final String COST_GPU_PRICE_PER_HOUR = "GpuPricePerHour";
    static final String COST_UNKNOWN = "Unknown";
    static final String COST_EVALUATION_JOB = "EvaluationJob";
    /** The tournament's hold while candidates compete. */
    static final String COMPETING = "TournamentCompeting";
    /** Every candidate is Eliminated or RolledBack. */
    static final String EXHAUSTED = "NoCandidateLeft";
    static final String NEW_TOURNAMENT = "NewTournament";

    /** One look's outcome for the route. */
    record Outcome(DelegationStatus status, CandidateServing serving, boolean analysisUnavailable, boolean measuring) {
    }

    /** The cost a candidate is ranked by; value null: unknown, ranked dearest. */
    record Cost(Double value, String source) {
    }

    /**
     * A tournament's candidates in declared order, each with the cost it is ranked by.
     *
     * @param origin where they come from, for the message that opens the tournament (empty: the spec's list)
     */
    record Entrants(List<Candidate> candidates, Map<Candidate, Cost> costs, String origin) {

        Entrants {
            candidates = List.copyOf(candidates);
            costs = Map.copyOf(costs);
        }

        /** Spec candidates, ranked by their specialists' GPU price per hour. */
        static Entrants declared(RouteSpec routeSpec, List<SLMSpecialist> specialists, GpuPrices prices) {
            List<Candidate> candidates = routeSpec.delegation.entrants().stream().map(Candidate::of).toList();
            return new Entrants(candidates, gpuCosts(candidates, specialists, prices), "");
        }

        /** An evaluation's candidates that passed, ranked by the cost per 1,000 requests it measured. */
        static Entrants evaluated(String evaluationJob, EvaluationEntrants.Entered entered) {
            Map<Candidate, Cost> costs = new LinkedHashMap<>();
            for (Candidate candidate : entered.candidates()) {
                Double perThousand = entered.costPer1k().get(candidate);
                costs.put(candidate, perThousand == null ? new Cost(null, COST_UNKNOWN)
                        : new Cost(perThousand, COST_EVALUATION_JOB));
            }
            return new Entrants(entered.candidates(), costs, " (EvaluationJob " + evaluationJob
                    + "'s candidates that passed, cheapest first" + (entered.leftOut().isEmpty() ? ""
                            : "; left out: " + entered.leftOut()) + ")");
        }
    }

    private RouteTournaments() {
    }

    /** The previous entry, when it is this tournament's (same candidates in the same order). */
    static Optional<DelegationStatus> previous(AgentRoute route, RouteSpec routeSpec, List<Candidate> entrants) {
        return recorded(route, routeSpec).filter(entry -> entry.candidates.stream()
                .map(row -> new Candidate(row.specialist, row.adapter)).toList().equals(entrants));
    }

    /** The route's last tournament entry for the task, whatever its candidates. */
    static Optional<DelegationStatus> recorded(AgentRoute route, RouteSpec routeSpec) {
        if (route.getStatus() == null) {
            return Optional.empty();
        }
        return route.getStatus().delegations.stream().filter(entry -> routeSpec.task.equals(entry.task)).findFirst()
                .filter(entry -> entry.tournamentStartTime != null && entry.candidates != null);
    }

    /** The windows a look reads: every candidate since the tournament started, and the chosen one's current window. */
    static List<FiguresWindow> windows(AgentRoute route, RouteSpec routeSpec, List<Candidate> entrants,
            Map<Candidate, ResolvedTarget> resolved, Instant now) {
        Optional<DelegationStatus> previous = previous(route, routeSpec, entrants);
        DelegationPolicy policy = DelegationPolicy.of(routeSpec.delegation, entrants.get(0));
        if (previous.isEmpty() || policy.paused()) {
            return List.of();
        }
        String namespace = route.getMetadata().getNamespace();
        String name = route.getMetadata().getName();
        Instant start = Instant.parse(previous.get().tournamentStartTime);
        List<FiguresWindow> windows = new ArrayList<>();
        for (Candidate candidate : entrants) {
            windows.add(new FiguresWindow(namespace, name, routeSpec.task, candidate, start, now));
        }
        DelegationState chosen = chosenState(previous.get());
        if (chosen != null && resolved.get(chosen.candidate()).ready()
                && (chosen.phase() == DelegationPhase.Shadowing || chosen.phase() == DelegationPhase.Progressing)) {
            FiguresWindow window = new FiguresWindow(namespace, name, routeSpec.task, chosen.candidate(),
                    chosen.windowStart(), now);
            if (!windows.contains(window)) {
                windows.add(window);
            }
        }
        return windows;
    }

    /** The chosen candidate's delegation state, or null before a choice (or once every candidate is out). */
    private static DelegationState chosenState(DelegationStatus entry) {
        boolean chosen = entry.candidate != null && entry.candidates.stream().anyMatch(row ->
                Tournament.State.Chosen.name().equals(row.state)
                        && new Candidate(row.specialist, row.adapter).equals(Candidate.of(entry.candidate)));
        return chosen ? DelegationStatuses.fromStatus(entry) : null;
    }

    /**
     * One look; pure.
     *
     * @param tournamentEntrants the candidates and the costs they are ranked by
     * @param resolved each candidate resolved like a target
     * @param figures what was read for {@link #windows}
     */
    static Outcome decide(AgentRoute route, RouteSpec routeSpec, Entrants tournamentEntrants,
            Map<Candidate, ResolvedTarget> resolved, Map<FiguresWindow, Optional<StepFigures>> figures, Instant now) {
        List<Candidate> entrants = tournamentEntrants.candidates();
        DelegationPolicy policy = DelegationPolicy.of(routeSpec.delegation, entrants.get(0));
        Tournament.Rules rules = Tournament.Rules.of(policy);
        Map<Candidate, Cost> costs = tournamentEntrants.costs();
        Optional<DelegationStatus> previous = previous(route, routeSpec, entrants);
        String task = routeSpec.task;
        if (previous.isEmpty()) {
            Instant start = now;
            Tournament.Result result = Tournament.decide(rules, entrants(entrants, costs, c -> none(), Duration.ZERO),
                    Set.of(), null);
            DelegationStatus status = open(task, start, DelegationPhase.Shadowing, new Decision(Decision.Action.Shadow,
                    NEW_TOURNAMENT, "tournament of " + labels(entrants) + tournamentEntrants.origin() + ": every candidate "
                            + "shadowed on the same sampled requests", now));
            status.candidates = rows(result, costs, resolved);
            return new Outcome(status, serving(routeSpec, status), false, true);
        }
        DelegationStatus before = previous.get();
        if (policy.paused()) {
            DelegationState chosen = chosenState(before);
            if (chosen != null) {
                return stepChosen(routeSpec, before, chosen, policy, resolved, Optional.empty(), now, rules, entrants,
                        costs, null);
            }
            DelegationStatus status = open(task, Instant.parse(before.tournamentStartTime), DelegationPhase.Paused,
                    new Decision(Decision.Action.Pause, Decision.PAUSED, "tournament paused in the spec", now));
            status.candidates = before.candidates;
            return new Outcome(status, serving(routeSpec, status), false, false);
        }
        Instant start = Instant.parse(before.tournamentStartTime);
        Map<Candidate, StepFigures> read = new LinkedHashMap<>();
        for (Candidate candidate : entrants) {
            Optional<StepFigures> found = figures.get(new FiguresWindow(route.getMetadata().getNamespace(),
                    route.getMetadata().getName(), task, candidate, start, now));
            if (found == null) {
                throw new IllegalArgumentException("the figures of " + candidate.label() + " since " + start + " were not read");
            }
            if (found.isEmpty()) {
                return new Outcome(before, serving(routeSpec, before), true, true);
            }
            read.put(candidate, found.get());
        }
        Duration shadowed = Duration.between(start, now);
        List<Tournament.Entrant> field = entrants(entrants, costs, read::get, shadowed);
        Set<Candidate> rolledBack = before.candidates.stream()
                .filter(row -> Tournament.State.RolledBack.name().equals(row.state))
                .map(row -> new Candidate(row.specialist, row.adapter)).collect(Collectors.toCollection(LinkedHashSet::new));
        DelegationState chosen = chosenState(before);
        if (chosen != null) {
            Optional<StepFigures> window = Optional.empty();
            if (resolved.get(chosen.candidate()).ready()
                    && (chosen.phase() == DelegationPhase.Shadowing || chosen.phase() == DelegationPhase.Progressing)) {
                window = figures.getOrDefault(new FiguresWindow(route.getMetadata().getNamespace(),
                        route.getMetadata().getName(), task, chosen.candidate(), chosen.windowStart(), now),
                        Optional.empty());
            }
            Outcome stepped = stepChosen(routeSpec, before, chosen, policy.with(chosen.candidate()), resolved, window, now,
                    rules, entrants, costs, field);
            if (stepped.status().phase != DelegationPhase.RolledBack) {
                return stepped;
            }
            // the chosen candidate rolled back: the tournament passes to the next one that qualifies
            rolledBack.add(chosen.candidate());
            Decision rollBack = DelegationStatuses.fromStatus(stepped.status()).lastDecision();
            Outcome next = choose(routeSpec, start, policy, rules, field, rolledBack, costs, resolved, read, now);
            next.status().lastDecision = decisionStatus(new Decision(rollBack.action(), rollBack.reason(),
                    rollBack.message() + "; " + next.status().lastDecision.message, now));
            return next;
        }
        return choose(routeSpec, start, policy, rules, field, rolledBack, costs, resolved, read, now);
    }

    /** No candidate chosen yet (or the chosen one rolled back): the rule over the others. */
    private static Outcome choose(RouteSpec routeSpec, Instant start, DelegationPolicy policy, Tournament.Rules rules,
            List<Tournament.Entrant> field, Set<Candidate> rolledBack, Map<Candidate, Cost> costs,
            Map<Candidate, ResolvedTarget> resolved, Map<Candidate, StepFigures> read, Instant now) {
        Tournament.Result result = Tournament.decide(rules, field, rolledBack, null);
        Optional<Candidate> chosen = result.chosen();
        if (chosen.isPresent()) {
            Candidate winner = chosen.get();
            // its shadowing window is the tournament's: gates cleared there, so its delegation takes its first step
            DelegationState shadowing = new DelegationState(winner, DelegationPhase.Shadowing, null, 0, start, List.of(),
                    null);
            DelegationDecision.Outcome outcome = DelegationDecision.decide(shadowing, policy.with(winner),
                    readiness(resolved.get(winner)), Optional.of(read.get(winner)), now);
            DelegationStatus status = DelegationStatuses.toStatus(routeSpec.task, outcome.state());
            status.tournamentStartTime = start.toString();
            status.lastDecision = decisionStatus(new Decision(outcome.state().lastDecision().action(),
                    outcome.state().lastDecision().reason(), "tournament chose " + winner.label() + " (cheapest whose "
                            + "gates cleared); " + outcome.state().lastDecision().message(), now));
            status.candidates = rows(result, costs, resolved);
            return new Outcome(status, serving(routeSpec, status), false, true);
        }
        boolean exhausted = result.exhausted();
        String message = exhausted ? "every candidate is Eliminated or RolledBack: none can be chosen"
                : result.standings().stream().filter(s -> s.state() == Tournament.State.Competing)
                        .map(s -> s.candidate().label() + ": " + s.message()).collect(Collectors.joining("; "));
        DelegationStatus status = open(routeSpec.task, start, exhausted ? DelegationPhase.RolledBack : DelegationPhase.Shadowing,
                new Decision(exhausted ? Decision.Action.RollBack : Decision.Action.Hold, exhausted ? EXHAUSTED : COMPETING,
                        message, now));
        status.candidates = rows(result, costs, resolved);
        return new Outcome(status, serving(routeSpec, status), false, !exhausted);
    }

    /** The chosen candidate's look, as a single delegation's; the others keep their standings. */
    private static Outcome stepChosen(RouteSpec routeSpec, DelegationStatus before, DelegationState chosen,
            DelegationPolicy policy, Map<Candidate, ResolvedTarget> resolved, Optional<StepFigures> window, Instant now,
            Tournament.Rules rules, List<Candidate> entrants, Map<Candidate, Cost> costs, List<Tournament.Entrant> field) {
        DelegationDecision.Outcome outcome = DelegationDecision.decide(chosen, policy.with(chosen.candidate()),
                readiness(resolved.get(chosen.candidate())), window, now);
        DelegationStatus status = DelegationStatuses.toStatus(routeSpec.task, outcome.state());
        status.tournamentStartTime = before.tournamentStartTime;
        if (field == null) {
            status.candidates = before.candidates;
        } else {
            Set<Candidate> rolledBack = before.candidates.stream()
                    .filter(row -> Tournament.State.RolledBack.name().equals(row.state))
                    .map(row -> new Candidate(row.specialist, row.adapter)).collect(Collectors.toSet());
            status.candidates = rows(Tournament.decide(rules, field, rolledBack, chosen.candidate()), costs, resolved);
        }
        DelegationPhase phase = outcome.state().phase();
        return new Outcome(status, serving(routeSpec, status), outcome.analysisUnavailable(),
                phase == DelegationPhase.Shadowing || phase == DelegationPhase.Progressing);
    }

    /** What the table gives the tournament, from its status entry. */
    static CandidateServing serving(RouteSpec routeSpec, DelegationStatus status) {
        if (status.candidate != null && status.phase != null) {
            CandidateServing chosen = CandidateServing.of(status.phase, status.weight == null ? 0 : status.weight,
                    routeSpec.delegation);
            return chosen.of(List.of(Candidate.of(status.candidate)));
        }
        if (status.phase == DelegationPhase.RolledBack) {
            return CandidateServing.NONE;
        }
        List<Candidate> competing = status.candidates == null ? List.of() : status.candidates.stream()
                .filter(row -> Tournament.State.Competing.name().equals(row.state))
                .map(row -> new Candidate(row.specialist, row.adapter)).toList();
        return competing.isEmpty() ? CandidateServing.NONE
                : new CandidateServing(0, routeSpec.delegation.shadowRate, competing);
    }

    /**
     * A tournament that cannot start (its candidatesFrom evaluation is missing, unfinished, failed or passed no one):
     * waiting, as a single candidate that is not ready, with no candidate in the table. A repeated wait keeps the time it
     * was first decided, so the status does not change at every look.
     */
    static Outcome waiting(AgentRoute route, RouteSpec routeSpec, EvaluationEntrants.NotStartable why, Instant now) {
        Instant since = route.getStatus() == null ? now : route.getStatus().delegations.stream()
                .filter(entry -> routeSpec.task.equals(entry.task) && entry.lastDecision != null
                        && Decision.Action.Wait.name().equals(entry.lastDecision.action)
                        && why.reason().equals(entry.lastDecision.reason) && entry.lastDecision.time != null)
                .findFirst().map(entry -> Instant.parse(entry.lastDecision.time)).orElse(now);
        DelegationStatus status = new DelegationStatus();
        status.task = routeSpec.task;
        status.phase = DelegationPhase.Waiting;
        status.weight = 0;
        status.lastDecision = decisionStatus(new Decision(Decision.Action.Wait, why.reason(), why.message(), since));
        return new Outcome(status, CandidateServing.NONE, false, false);
    }

    private static Map<Candidate, Cost> gpuCosts(List<Candidate> entrants, List<SLMSpecialist> specialists,
            GpuPrices prices) {
        Map<Candidate, Cost> costs = new LinkedHashMap<>();
        for (Candidate candidate : entrants) {
            Optional<Double> perHour = specialists.stream()
                    .filter(s -> s.getMetadata().getName().equals(candidate.specialist())).findFirst()
                    .flatMap(s -> prices.perHour(SpecialistGpus.of(s)));
            costs.put(candidate, perHour.map(price -> new Cost(price, COST_GPU_PRICE_PER_HOUR))
                    .orElse(new Cost(null, COST_UNKNOWN)));
        }
        return costs;
    }

    private static List<Tournament.Entrant> entrants(List<Candidate> entrants, Map<Candidate, Cost> costs,
            java.util.function.Function<Candidate, StepFigures> figures, Duration shadowed) {
        return entrants.stream().map(c -> new Tournament.Entrant(c, costs.get(c).value(), figures.apply(c), shadowed))
                .toList();
    }

    private static StepFigures none() {
        return new StepFigures(Comparisons.NONE, CandidateCalls.NONE, java.util.OptionalDouble.empty());
    }

    private static List<TournamentCandidate> rows(Tournament.Result result, Map<Candidate, Cost> costs,
            Map<Candidate, ResolvedTarget> resolved) {
        List<TournamentCandidate> rows = new ArrayList<>();
        for (Tournament.Standing standing : result.standings()) {
            TournamentCandidate row = new TournamentCandidate();
            row.specialist = standing.candidate().specialist();
            row.adapter = standing.candidate().adapter();
            row.state = standing.state().name();
            row.reason = standing.reason();
            row.message = standing.message();
            ResolvedTarget target = resolved.get(standing.candidate());
            if (standing.state() == Tournament.State.Competing && target != null && !target.ready()) {
                row.reason = target.reason();
                row.message = target.message() + ": not shadowed until it is ready";
            }
            StepEvaluation figures = standing.figures();
            if (figures != null) {
                row.comparisons = figures.comparisons();
                row.agreement = figures.agreement();
                row.agreementLower = figures.agreementLower();
                row.agreementUpper = figures.agreementUpper();
                row.errorRate = figures.errorRate();
                row.errorRateUpper = figures.errorRateUpper();
                row.invalidOutputRate = figures.invalidOutputRate();
                row.invalidOutputRateUpper = figures.invalidOutputRateUpper();
                row.latencyRatio = figures.latencyRatio();
            }
            Cost cost = costs.get(standing.candidate());
            row.cost = cost.value();
            row.costSource = cost.source();
            rows.add(row);
        }
        return rows;
    }

    private static DelegationStatus open(String task, Instant start, DelegationPhase phase, Decision decision) {
        DelegationStatus status = new DelegationStatus();
        status.task = task;
        status.phase = phase;
        status.weight = 0;
        status.stepStartTime = start.toString();
        status.tournamentStartTime = start.toString();
        status.lastDecision = decisionStatus(decision);
        return status;
    }

    private static io.slmfleet.api.v1alpha1.AgentRouteStatus.Decision decisionStatus(Decision decision) {
        var status = new io.slmfleet.api.v1alpha1.AgentRouteStatus.Decision();
        status.action = decision.action().name();
        status.reason = decision.reason();
        status.message = decision.message();
        status.time = decision.time().toString();
        return status;
    }

    static CandidateReadiness readiness(ResolvedTarget candidate) {
        return candidate.ready() ? CandidateReadiness.READY : CandidateReadiness.notReady(candidate.reason(),
                candidate.message());
    }

    private static String labels(List<Candidate> candidates) {
        return candidates.stream().map(Candidate::label).collect(Collectors.joining(", "));
    }
}
