package io.slmfleet.agentroute;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.slmfleet.api.v1alpha1.AgentRoute;
import io.slmfleet.api.v1alpha1.AgentRouteStatus;
import io.slmfleet.api.v1alpha1.AgentRouteStatus.DelegationPhase;
import io.slmfleet.api.v1alpha1.AgentRouteStatus.DelegationStatus;
import io.slmfleet.api.v1alpha1.AgentRouteStatus.Phase;
import io.slmfleet.api.v1alpha1.AgentRouteStatus.TargetStatus;
import io.slmfleet.common.Conditions;
import io.slmfleet.common.PodDiagnosis;
import io.slmfleet.delegation.Decision;

/** Derives an AgentRoute's status from what was observed; it never looks anything up itself. */
public final class RouteStatusLogic {

    public static final String READY = "Ready";
    public static final String TARGETS_READY = "TargetsReady";
    public static final String ROUTER_READY = "RouterReady";
    public static final String DELEGATING = "Delegating";
    public static final String PROMOTED = "Promoted";
    public static final String ROLLED_BACK = "RolledBack";
    public static final String ANALYSIS_UNAVAILABLE = "AnalysisUnavailable";
    /** On an AgentRoute with economics figures: whether every price they need is known. */
    public static final String PRICES_KNOWN = "PricesKnown";
    /** The conditions of an AgentRoute with a delegation; their Events follow the decisions, not the conditions. */
    public static final Set<String> DELEGATION_CONDITIONS = Set.of(DELEGATING, PROMOTED, ROLLED_BACK, ANALYSIS_UNAVAILABLE);

    public static final String FALLING_BACK = "FallingBack";
    public static final String NO_READY_TARGET = "NoReadyTarget";
    private static final String STALLED = "ProgressDeadlineExceeded";
    /** Pods the API server refuses to create: nothing will serve until someone fixes it (quota frees up by itself). */
    private static final Set<String> CREATION_FAILURES = Set.of(PodDiagnosis.RUNTIME_CLASS_NOT_FOUND,
            PodDiagnosis.ADMISSION_DENIED, PodDiagnosis.POD_CREATION_FAILED);

    /** Reasons of a not-ready route that are part of normal progress, not problems. */
    public static final Set<String> EXPECTED_WAITS = Set.of("Creating", "Starting", "RollingOut");

    private RouteStatusLogic() {
    }

    public static AgentRouteStatus derive(AgentRoute route, RouteObservation observed, Clock clock) {
        AgentRouteStatus previous = route.getStatus() == null ? new AgentRouteStatus() : route.getStatus();
        long generation = Optional.ofNullable(route.getMetadata().getGeneration()).orElse(0L);
        ServedTable served = observed.served();

        Verdict targets = targetsVerdict(observed.rendered().targets(), served, route);
        Verdict router = routerVerdict(observed.router());
        Verdict ready = readyVerdict(observed.problems(), served, router, targets, route);
        int routerReady = observed.router().map(Deployment::getStatus).map(DeploymentStatus::getReadyReplicas).orElse(0);

        AgentRouteStatus status = new AgentRouteStatus();
        status.observedGeneration = generation;
        // Failed: nothing serves and it will not without a change (broken input, a rollout past its deadline, pods the
        // API server refuses).
        boolean stuck = !observed.problems().isEmpty() || STALLED.equals(router.reason)
                || CREATION_FAILURES.contains(router.reason);
        status.phase = routerReady == 0 ? (stuck ? Phase.Failed : Phase.Pending) : ready.ok ? Phase.Ready : Phase.Degraded;
        status.configHash = served.hash();
        status.endpoint = Router.endpoint(route);
        status.targets = observed.rendered().targets().stream().map(target -> targetStatus(target, served)).toList();
        status.routerReadyReplicas = routerReady;
        status.delegations = observed.delegations().statuses();
        status.delegationSummary = delegationSummary(status.delegations);
        Conditions conditions = new Conditions(previous.conditions, generation, clock)
                .set(READY, ready.ok, ready.reason, ready.message)
                .set(TARGETS_READY, targets.ok, targets.reason, targets.message)
                .set(ROUTER_READY, router.ok, router.reason, router.message);
        status.economics = observed.economics();
        if (status.economics != null) {
            boolean known = status.economics.pricesMissing == null;
            conditions.set(PRICES_KNOWN, known, known ? "AllPricesKnown" : "PriceMissing", known
                    ? "every price the costs need is known"
                    : "costs that need these prices are left unknown, never guessed: " + status.economics.pricesMissing);
        }
        if (!status.delegations.isEmpty()) {
            delegationConditions(conditions, status.delegations, observed.delegations().analysisUnavailable());
        }
        status.conditions = conditions.build();
        return status;
    }

    /**
     * Delegating while a candidate is compared or stepping; Promoted and RolledBack once one got there, saying what to
     * change in Git (promotion lives in status only); AnalysisUnavailable while the figures cannot be read.
     */
    private static void delegationConditions(Conditions conditions, List<DelegationStatus> delegations,
            List<String> analysisUnavailable) {
        List<DelegationStatus> active = delegations.stream()
                .filter(d -> d.phase == DelegationPhase.Shadowing || d.phase == DelegationPhase.Progressing).toList();
        conditions.set(DELEGATING, !active.isEmpty(), active.isEmpty() ? "NotDelegating" : active.get(0).lastDecision.reason,
                active.isEmpty() ? "no candidate is being compared or stepped up" : describe(active));
        List<DelegationStatus> promoted = delegations.stream().filter(d -> d.phase == DelegationPhase.Promoted).toList();
        conditions.set(PROMOTED, !promoted.isEmpty(), promoted.isEmpty() ? "NotPromoted" : "CandidatePromoted",
                promoted.isEmpty() ? "no candidate promoted" : promoted.stream()
                        .map(d -> "route " + d.task + ": " + label(d) + " promoted at " + d.weight + "% of live traffic; "
                                + "to make it permanent, move it into the route's targets and remove the delegation in Git")
                        .collect(Collectors.joining("; ")));
        List<DelegationStatus> rolledBack = delegations.stream().filter(d -> d.phase == DelegationPhase.RolledBack).toList();
        conditions.set(ROLLED_BACK, !rolledBack.isEmpty(), rolledBack.isEmpty() ? "NotRolledBack"
                : rolledBack.get(0).lastDecision.reason, rolledBack.isEmpty() ? "no candidate rolled back" : describe(rolledBack));
        conditions.set(ANALYSIS_UNAVAILABLE, !analysisUnavailable.isEmpty(),
                analysisUnavailable.isEmpty() ? "FiguresRead" : Decision.ANALYSIS_UNAVAILABLE,
                analysisUnavailable.isEmpty() ? "the delegations' figures were read"
                        : "the router metrics of route(s) " + String.join(", ", analysisUnavailable)
                                + " could not be read: their delegation holds, nothing is promoted on missing figures");
    }

    /** Every delegation in one line, for the printer column; null without delegations (the column stays empty). */
    static String delegationSummary(List<DelegationStatus> delegations) {
        if (delegations.isEmpty()) {
            return null;
        }
        return delegations.stream()
                .map(d -> d.task + " " + d.phase + " " + (d.weight == null ? 0 : d.weight) + "%")
                .collect(Collectors.joining(", "));
    }

    private static String describe(List<DelegationStatus> delegations) {
        return delegations.stream()
                .map(d -> "route " + d.task + ": " + (d.lastDecision == null ? label(d) : d.lastDecision.message))
                .collect(Collectors.joining("; "));
    }

    private static String label(DelegationStatus delegation) {
        if (delegation.candidate == null) {
            return "tournament";
        }
        return delegation.candidate.adapter == null ? delegation.candidate.specialist
                : delegation.candidate.specialist + "/" + delegation.candidate.adapter;
    }

    private static TargetStatus targetStatus(ResolvedTarget target, ServedTable served) {
        TargetStatus status = new TargetStatus();
        status.task = target.task();
        status.specialist = target.specialist();
        status.adapter = target.adapter();
        status.endpoint = target.endpoint();
        status.ready = target.ready();
        status.weight = served.weight(target);
        status.reason = target.reason();
        return status;
    }

    private static Verdict targetsVerdict(List<ResolvedTarget> targets, ServedTable served, AgentRoute route) {
        // A route that declares no target is the fallback LLM's by design (a delegation starts from it).
        Set<String> declaring = route.getSpec().routes.stream().filter(r -> !r.targets.isEmpty()).map(r -> r.task)
                .collect(Collectors.toSet());
        List<ResolvedTarget> unready = targets.stream().filter(t -> !t.ready()).toList();
        if (unready.isEmpty()) {
            return new Verdict(true, "AllTargetsReady", targets.size() + " target(s) ready");
        }
        List<String> parts = new ArrayList<>();
        unready.forEach(t -> parts.add("route " + t.task() + ": " + t.message()));
        List<String> withoutTarget = served.tasksWithoutTarget().stream().filter(declaring::contains).toList();
        withoutTarget.forEach(task -> parts.add("route " + task + " has no ready target: " + (served.fallsBack()
                ? "its requests go to the fallback LLM" : "its requests fail, as no fallback covers errors")));
        String reason = withoutTarget.isEmpty() ? unready.get(0).reason() : served.fallsBack() ? FALLING_BACK : NO_READY_TARGET;
        return new Verdict(false, reason, String.join("; ", parts));
    }

    private static Verdict routerVerdict(Optional<Deployment> found) {
        if (found.isEmpty()) {
            return new Verdict(false, "Creating", "the router Deployment is being created");
        }
        Deployment deployment = found.get();
        int wanted = Optional.ofNullable(deployment.getSpec().getReplicas()).orElse(1);
        DeploymentStatus status = Optional.ofNullable(deployment.getStatus()).orElseGet(DeploymentStatus::new);
        int ready = orZero(status.getReadyReplicas());
        int updated = orZero(status.getUpdatedReplicas());
        String counts = ready + "/" + wanted + " router replicas ready";
        if (wanted == 0) {
            return new Verdict(false, "ScaledToZero", "0 router replicas wanted");
        }
        Optional<PodDiagnosis.Problem> creationFailure = PodDiagnosis.replicaFailure("the router Deployment", deployment);
        if (creationFailure.isPresent()) {
            return new Verdict(false, creationFailure.get().reason(), counts + "; " + creationFailure.get().message());
        }
        boolean stalled = status.getConditions() != null && status.getConditions().stream()
                .anyMatch(c -> "Progressing".equals(c.getType()) && "ProgressDeadlineExceeded".equals(c.getReason()));
        if (stalled) {
            return new Verdict(false, STALLED, counts + "; the rollout made no progress within its deadline: "
                    + "check the router pods' events (a missing Secret keeps them from starting)");
        }
        if (ready >= wanted && updated >= wanted) {
            return new Verdict(true, "AllReplicasReady", counts);
        }
        return new Verdict(false, ready == 0 ? "Starting" : updated < wanted ? "RollingOut" : "ReplicasNotReady", counts);
    }

    private static Verdict readyVerdict(List<InputProblem> problems, ServedTable served, Verdict router, Verdict targets,
            AgentRoute route) {
        if (!problems.isEmpty()) {
            String serving = served.lastGood()
                    ? "the router keeps serving the last good routing table " + served.hash()
                    : "there is no good routing table yet: the router serves one without the broken parts";
            return new Verdict(false, problems.get(0).reason(),
                    problems.stream().map(InputProblem::message).collect(Collectors.joining("; ")) + "; " + serving);
        }
        if (!router.ok) {
            return new Verdict(false, router.reason, router.message);
        }
        if (!targets.ok) {
            return new Verdict(false, targets.reason, targets.message);
        }
        return new Verdict(true, "Ready", route.getSpec().routes.size() + " route(s) served at " + Router.endpoint(route));
    }

    private static int orZero(Integer value) {
        return value == null ? 0 : value;
    }

    private record Verdict(boolean ok, String reason, String message) {
    }
}
