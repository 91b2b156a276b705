package io.slmfleet.slmspecialist;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.slmfleet.api.v1alpha1.AdapterStatus;
import io.slmfleet.api.v1alpha1.AutoscalingStatus;
import io.slmfleet.api.v1alpha1.AutoscalingStatus.Engine;
import io.slmfleet.api.v1alpha1.SLMSpecialist;
import io.slmfleet.api.v1alpha1.SLMSpecialistStatus;
import io.slmfleet.api.v1alpha1.SLMSpecialistStatus.Phase;
import io.slmfleet.common.Conditions;
import io.slmfleet.common.PodDiagnosis;

/** Derives a specialist's status from what was observed; it never looks anything up itself. */
public final class SpecialistStatusLogic {

    public static final String READY = "Ready";
    public static final String PROGRESSING = "Progressing";
    public static final String DEGRADED = "Degraded";
    public static final String ADAPTERS_READY = "AdaptersReady";
    public static final String AUTOSCALER_READY = "AutoscalerReady";

    /** Reasons of a not-ready specialist that are part of normal progress, not problems. */
    public static final Set<String> EXPECTED_WAITS = Set.of("Creating", "Starting", "RollingOut", "AdapterPending");


    private SpecialistStatusLogic() {
    }

    public static SLMSpecialistStatus derive(SLMSpecialist specialist, Observed observed, Clock clock) {
        SLMSpecialistStatus previous = specialist.getStatus() == null ? new SLMSpecialistStatus() : specialist.getStatus();
        long generation = Optional.ofNullable(specialist.getMetadata().getGeneration()).orElse(0L);
        // An unset replica count (left to the HPA) is defaulted to 1 by the API server until the HPA sets it.
        int wanted = observed.deployment().map(d -> Optional.ofNullable(d.getSpec().getReplicas()).orElse(1)).orElse(0);
        DeploymentStatus deploymentStatus = observed.deployment().map(Deployment::getStatus).orElseGet(DeploymentStatus::new);
        int replicas = orZero(deploymentStatus.getReplicas());
        int ready = orZero(deploymentStatus.getReadyReplicas());
        int updated = orZero(deploymentStatus.getUpdatedReplicas());

        Verdict verdict = verdict(observed, wanted, ready, updated);

        Conditions conditions = new Conditions(previous.conditions, generation, clock)
                .set(READY, verdict.phase == Phase.Ready, verdict.reason, verdict.message)
                .set(PROGRESSING, verdict.phase == Phase.Progressing || verdict.phase == Phase.Pending && verdict.waitingIsNormal,
                        verdict.phase == Phase.Ready ? "RolloutComplete" : verdict.reason, verdict.message)
                .set(DEGRADED, verdict.phase == Phase.Degraded, verdict.phase == Phase.Degraded ? verdict.reason : "AsExpected",
                        verdict.phase == Phase.Degraded ? verdict.message : "no loss of serving capacity")
                .set(ADAPTERS_READY, observed.adapters().allMounted(), adaptersReason(observed.adapters()),
                        adaptersMessage(observed.adapters()));
        observed.autoscaling().ifPresent(plan -> autoscalingConditions(conditions, plan));

        SLMSpecialistStatus status = new SLMSpecialistStatus();
        status.observedGeneration = generation;
        status.phase = verdict.phase;
        status.replicas = replicas;
        status.readyReplicas = ready;
        status.endpoint = Nim.endpoint(specialist);
        status.autoscaling = observed.autoscaling().map(SpecialistStatusLogic::autoscalingStatus).orElse(null);
        status.adapters = observed.adapters().adapters();
        status.conditions = conditions.build();
        return status;
    }

    /** The phase with the one reason that best explains it, most actionable first. */
    private static Verdict verdict(Observed observed, int wanted, int ready, int updated) {
        if (!observed.missingReferences().isEmpty()) {
            return new Verdict(Phase.Pending, "SecretNotFound", String.join("; ", observed.missingReferences()), false);
        }
        if (observed.deployment().isEmpty()) {
            return new Verdict(Phase.Pending, "Creating", "the NIM Deployment is being created", true);
        }
        if (wanted == 0) {
            return new Verdict(Phase.Pending, "ScaledToZero", "0 replicas wanted", false);
        }
        // A pod that cannot run, or pods the API server refuses to create
        Optional<PodDiagnosis.Problem> problem = PodDiagnosis.problems(observed.pods()).findFirst()
                .or(() -> PodDiagnosis.replicaFailure("the NIM Deployment", observed.deployment().get()));
        if (problem.isPresent()) {
            // Pods still serving make it Degraded; otherwise it waits for what clears by itself, the rest needs a fix.
            Phase phase = ready > 0 ? Phase.Degraded : PodDiagnosis.clearsByItself(problem.get()) ? Phase.Pending : Phase.Failed;
            return new Verdict(phase, problem.get().reason(), problem.get().message(), false);
        }
        if (progressDeadlineExceeded(observed.deployment().get())) {
            return new Verdict(ready > 0 ? Phase.Degraded : Phase.Failed, "ProgressDeadlineExceeded",
                    "the rollout made no progress within its deadline; check the NIM pods' logs", false);
        }
        if (ready >= wanted && updated >= wanted) {
            return new Verdict(Phase.Ready, "AllReplicasReady", ready + "/" + wanted + " replicas ready", false);
        }
        if (ready > 0 && updated >= wanted) {
            return new Verdict(Phase.Degraded, "ReplicasNotReady", ready + "/" + wanted + " replicas ready", false);
        }
        return new Verdict(Phase.Progressing, ready == 0 ? "Starting" : "RollingOut",
                ready + "/" + wanted + " replicas ready; a first start downloads the model and can take many minutes", true);
    }

    private static void autoscalingConditions(Conditions conditions, AutoscalingPlan plan) {
        if (plan.refusal().isPresent()) {
            conditions.set(AUTOSCALER_READY, false, plan.refusal().get().reason(), plan.refusal().get().message());
        } else {
            String engine = plan.engine() == Engine.Keda ? "KEDA ScaledObject" : "HorizontalPodAutoscaler";
            conditions.set(AUTOSCALER_READY, true, plan.engine().name(), "scaled by a " + engine + " on " + plan.signal()
                    + (plan.target() == null ? "" : ", target " + plan.target() + " per pod"));
        }
    }

    private static AutoscalingStatus autoscalingStatus(AutoscalingPlan plan) {
        AutoscalingStatus status = new AutoscalingStatus();
        status.engine = plan.engine();
        status.signal = plan.signal();
        status.target = plan.target();
        return status;
    }

    private static boolean progressDeadlineExceeded(Deployment deployment) {
        List<DeploymentCondition> conditions = deployment.getStatus() == null ? List.of() : deployment.getStatus().getConditions();
        return conditions != null && conditions.stream()
                .anyMatch(c -> "Progressing".equals(c.getType()) && "ProgressDeadlineExceeded".equals(c.getReason()));
    }

    private static String adaptersReason(ResolvedAdapters adapters) {
        if (adapters.adapters().isEmpty()) {
            return "NoAdapters";
        }
        if (adapters.allMounted()) {
            return "AllMounted";
        }
        boolean failed = adapters.adapters().stream().anyMatch(a -> a.state == AdapterStatus.State.Failed);
        boolean missingJob = adapters.adapters().stream().anyMatch(a -> a.message != null && a.message.endsWith(" not found"));
        return failed ? "AdapterFailed" : missingJob ? "FineTuneJobNotFound" : "AdapterPending";
    }

    private static String adaptersMessage(ResolvedAdapters adapters) {
        if (adapters.allMounted()) {
            return adapters.adapters().size() + " adapter(s) mounted";
        }
        return adapters.adapters().stream()
                .filter(a -> a.state != AdapterStatus.State.Mounted)
                .map(a -> a.name + ": " + a.message)
                .collect(Collectors.joining("; "));
    }

    private static int orZero(Integer value) {
        return value == null ? 0 : value;
    }

    /** A phase, the reason and message of the Ready condition, and whether the wait is part of normal progress. */
    private record Verdict(Phase phase, String reason, String message, boolean waitingIsNormal) {
    }
}
