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
import io.slmfleet.api.v1alpha1.AgentRouteStatus.Phase;
import io.slmfleet.api.v1alpha1.AgentRouteStatus.TargetStatus;
import io.slmfleet.common.Conditions;
import io.slmfleet.common.PodDiagnosis;

/** Derives an AgentRoute's status from what was observed; it never looks anything up itself. */
public final class RouteStatusLogic {

    public static final String READY = "Ready";
    public static final String TARGETS_READY = "TargetsReady";
    public static final String ROUTER_READY = "RouterReady";

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

        Verdict targets = targetsVerdict(observed.rendered().targets(), served);
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
        status.conditions = new Conditions(previous.conditions, generation, clock)
                .set(READY, ready.ok, ready.reason, ready.message)
                .set(TARGETS_READY, targets.ok, targets.reason, targets.message)
                .set(ROUTER_READY, router.ok, router.reason, router.message)
                .build();
        return status;
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

    private static Verdict targetsVerdict(List<ResolvedTarget> targets, ServedTable served) {
        List<ResolvedTarget> unready = targets.stream().filter(t -> !t.ready()).toList();
        if (unready.isEmpty()) {
            return new Verdict(true, "AllTargetsReady", targets.size() + " target(s) ready");
        }
        List<String> parts = new ArrayList<>();
        unready.forEach(t -> parts.add("route " + t.task() + ": " + t.message()));
        List<String> withoutTarget = served.tasksWithoutTarget();
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
