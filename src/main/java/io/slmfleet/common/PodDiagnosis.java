package io.slmfleet.common;

import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import io.fabric8.kubernetes.api.model.ContainerStateWaiting;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;

/** Why pods do not run, in the words a user acts on: what a Deployment's or Job's own status does not say. */
public final class PodDiagnosis {

    public static final String UNSCHEDULABLE = "Unschedulable";
    public static final String IMAGE_PULL_FAILED = "ImagePullFailed";
    public static final String CRASH_LOOP = "CrashLoopBackOff";
    public static final String CONTAINER_CONFIG_ERROR = "ContainerConfigError";
    public static final String QUOTA_EXCEEDED = "QuotaExceeded";
    public static final String RUNTIME_CLASS_NOT_FOUND = "RuntimeClassNotFound";
    public static final String ADMISSION_DENIED = "AdmissionDenied";
    public static final String POD_CREATION_FAILED = "PodCreationFailed";

    private static final List<String> IMAGE_PULL_FAILURES = List.of("ErrImagePull", "ImagePullBackOff", "InvalidImageName");

    /** A reason (one of the constants above) and the message naming the pod. */
    public record Problem(String reason, String message) {
    }

    private PodDiagnosis() {
    }

    /**
     * Why the API server refused to create a workload's pods, from the message of a Deployment's ReplicaFailure
     * condition or a Job controller's FailedCreate event: no pod exists, so no pod can tell.
     *
     * @param owner what could not create its pods, e.g. "the NIM Deployment"
     */
    public static Problem creationFailure(String owner, String message) {
        String reason;
        if (message.contains("exceeded quota")) {
            reason = QUOTA_EXCEEDED;
        } else if (message.contains("RuntimeClass") && message.contains("not found")) {
            reason = RUNTIME_CLASS_NOT_FOUND;
        } else if (message.contains("admission webhook") || message.contains("violates PodSecurity")) {
            reason = ADMISSION_DENIED;
        } else {
            reason = POD_CREATION_FAILED;
        }
        return new Problem(reason, owner + " cannot create pods: " + message);
    }

    /** Whether a problem can clear without anyone acting: a GPU or quota freeing up. */
    /** Whether the pod passes its readiness probe (condition Ready is True). */
    public static boolean isReady(Pod pod) {
        return pod.getStatus() != null && pod.getStatus().getConditions() != null && pod.getStatus().getConditions().stream()
                .anyMatch(condition -> "Ready".equals(condition.getType()) && "True".equals(condition.getStatus()));
    }

    public static boolean clearsByItself(Problem problem) {
        return UNSCHEDULABLE.equals(problem.reason()) || QUOTA_EXCEEDED.equals(problem.reason());
    }

    /** The ReplicaFailure condition of a Deployment whose ReplicaSet cannot create pods (quota, admission, ...). */
    public static Optional<Problem> replicaFailure(String owner, Deployment deployment) {
        List<DeploymentCondition> conditions = deployment.getStatus() == null || deployment.getStatus().getConditions() == null
                ? List.of() : deployment.getStatus().getConditions();
        return conditions.stream()
                .filter(c -> "ReplicaFailure".equals(c.getType()) && "True".equals(c.getStatus()) && c.getMessage() != null)
                .findFirst()
                .map(c -> creationFailure(owner, c.getMessage()));
    }

    /** Every problem, pod by pod: scheduling first, then each container's wait. */
    public static Stream<Problem> problems(List<Pod> pods) {
        return pods.stream().flatMap(PodDiagnosis::problems);
    }

    private static Stream<Problem> problems(Pod pod) {
        String name = pod.getMetadata().getName();
        Stream<Problem> scheduling = conditions(pod).stream()
                .filter(c -> "PodScheduled".equals(c.getType()) && "False".equals(c.getStatus())
                        && "Unschedulable".equals(c.getReason()) && c.getMessage() != null)
                .limit(1)
                .map(c -> new Problem(UNSCHEDULABLE, "pod " + name + " cannot be scheduled: " + c.getMessage()));
        Stream<Problem> waiting = containerStatuses(pod).stream()
                .map(container -> container.getState() == null ? null : container.getState().getWaiting())
                .filter(wait -> wait != null)
                .flatMap(wait -> waitingProblem(name, wait).stream());
        return Stream.concat(scheduling, waiting);
    }

    private static Optional<Problem> waitingProblem(String pod, ContainerStateWaiting wait) {
        String reason = wait.getReason();
        String message = Optional.ofNullable(wait.getMessage()).orElse(reason);
        if (IMAGE_PULL_FAILURES.contains(reason)) {
            return Optional.of(new Problem(IMAGE_PULL_FAILED, "pod " + pod + ": " + message));
        }
        if ("CrashLoopBackOff".equals(reason)) {
            return Optional.of(new Problem(CRASH_LOOP, "pod " + pod + " keeps crashing; check its logs"));
        }
        if ("CreateContainerConfigError".equals(reason)) {
            return Optional.of(new Problem(CONTAINER_CONFIG_ERROR, "pod " + pod + ": " + message));
        }
        return Optional.empty();
    }

    public static List<PodCondition> conditions(Pod pod) {
        return pod.getStatus() == null || pod.getStatus().getConditions() == null ? List.of() : pod.getStatus().getConditions();
    }

    public static List<ContainerStatus> containerStatuses(Pod pod) {
        return pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null ? List.of()
                : pod.getStatus().getContainerStatuses();
    }
}
