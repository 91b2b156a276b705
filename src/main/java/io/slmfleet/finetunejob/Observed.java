package io.slmfleet.finetunejob;

import java.util.List;
import java.util.Optional;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;

/**
 * What the reconciler saw of a FineTuneJob's world, the only input of its status besides the FineTuneJob itself.
 *
 * @param job the Job of the current attempt, as last seen
 * @param attempts training Jobs created so far (0 before the first)
 * @param jobName name of the current attempt's Job, or null before the first
 * @param pods the training pods of the current attempt (for reasons a Job does not tell, and the termination message)
 * @param blocker why no Job runs (a missing input, a taken adapter name, a preset that cannot run the spec), if so
 * @param podCreationFailure the Job controller's latest FailedCreate message while the Job has no pod (quota, admission
 *        webhooks, a missing RuntimeClass: the Job's own status does not tell)
 */
public record Observed(Optional<Job> job, int attempts, String jobName, List<Pod> pods, Optional<Blocker> blocker,
        Optional<String> podCreationFailure) {

    /** What was seen of a run that has no Job to look at (finished, or blocked before its Job). */
    public static Observed withoutJob(int attempts, String jobName, List<Pod> pods, Optional<Blocker> blocker) {
        return new Observed(Optional.empty(), attempts, jobName, pods, blocker, Optional.empty());
    }

    /**
     * @param reason condition reason, e.g. DatasetNotFound
     * @param message a sentence for the user
     * @param permanent true when waiting cannot help (the spec is immutable): the run fails
     */
    public record Blocker(String reason, String message, boolean permanent) {
    }
}
