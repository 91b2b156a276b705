package io.slmfleet.common;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.api.model.batch.v1.PodFailurePolicy;
import io.fabric8.kubernetes.api.model.batch.v1.PodFailurePolicyBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

/** What the run-to-completion kinds (FineTuneJob, CurationJob, EvaluationJob) share about the batch/v1 Jobs they run. */
public final class Jobs {

    /** Longest Job name: the Job controller copies it into a label of every pod, and label values stop at 63. */
    private static final int MAX_JOB_NAME = 63;

    private Jobs() {
    }

    /**
     * {@code <owner's name><suffix>}; a long name is cut and told apart from its siblings by a hash of the whole name.
     */
    public static String name(HasMetadata owner, String suffix) {
        String name = owner.getMetadata().getName();
        if (name.length() + suffix.length() <= MAX_JOB_NAME) {
            return name + suffix;
        }
        String hash = DesiredState.hash(name).substring(0, 8);
        String prefix = name.substring(0, MAX_JOB_NAME - suffix.length() - hash.length() - 1).replaceAll("[-.]+$", "");
        return prefix + "-" + hash + suffix;
    }

    /**
     * Fails the Job at once when {@code container} exits with {@code badInputExitCode} (a retry cannot fix bad input),
     * and does not count a disrupted pod against backoffLimit.
     */
    public static PodFailurePolicy failurePolicy(String container, int badInputExitCode) {
        return new PodFailurePolicyBuilder()
                .addNewRule()
                    .withAction("FailJob")
                    .withNewOnExitCodes()
                        .withContainerName(container)
                        .withOperator("In")
                        .withValues(badInputExitCode)
                    .endOnExitCodes()
                .endRule()
                .addNewRule()
                    // Preemption, node drain, eviction: not the run's fault, not counted against backoffLimit.
                    .withAction("Ignore")
                    .addNewOnPodCondition()
                        .withType("DisruptionTarget")
                        .withStatus("True")
                    .endOnPodCondition()
                .endRule()
                .build();
    }

    /** The Job's condition of this type when it is True. */
    public static Optional<JobCondition> condition(Job job, String type) {
        List<JobCondition> conditions = job.getStatus() == null ? null : job.getStatus().getConditions();
        return conditions == null ? Optional.empty() : conditions.stream()
                .filter(c -> type.equals(c.getType()) && "True".equals(c.getStatus()))
                .findFirst();
    }

    /**
     * Whether the Job should have a pod but the Job controller counts none active: it is neither finished nor suspended
     * (e.g. queued by Kueue).
     */
    public static boolean awaitsPod(Job job) {
        int active = job.getStatus() == null || job.getStatus().getActive() == null ? 0 : job.getStatus().getActive();
        return active == 0 && condition(job, "Complete").isEmpty() && condition(job, "Failed").isEmpty()
                && !Boolean.TRUE.equals(job.getSpec().getSuspend());
    }

    /**
     * The message of the Job controller's latest FailedCreate Event for the Job: why the API server refused its pod
     * (quota, admission, a missing RuntimeClass: the Job's own status does not tell). Listed only while a running Job has
     * no pod, which normally lasts a moment.
     */
    public static Optional<String> podCreationFailure(KubernetesClient client, Job job) {
        return client.v1().events().inNamespace(job.getMetadata().getNamespace())
                .withField("involvedObject.uid", job.getMetadata().getUid())
                .withField("reason", "FailedCreate")
                .list().getItems().stream()
                .max(Comparator.comparing(Jobs::lastSeen))
                .map(Event::getMessage);
    }

    private static String lastSeen(Event event) {
        String last = event.getLastTimestamp() != null ? event.getLastTimestamp()
                : event.getEventTime() != null ? event.getEventTime().getTime() : null;
        return last == null ? "" : last;
    }
}
