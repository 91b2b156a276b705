package io.slmfleet.evaluationjob;

import java.util.List;
import java.util.Optional;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;

/**
 * What the reconciler saw of an EvaluationJob's world, the only input of its status besides the EvaluationJob itself.
 *
 * @param job the evaluation Job, as last seen
 * @param pods its pods (for reasons a Job does not tell, and the summary in the termination message)
 * @param blocker why no Job runs yet (a data set or a candidate not ready, a missing claim or Secret), if so
 * @param podCreationFailure the Job controller's latest FailedCreate message while the Job has no pod
 */
record Observed(Optional<Job> job, List<Pod> pods, Optional<Blocker> blocker, Optional<String> podCreationFailure) {

    static Observed blocked(Blocker blocker) {
        return new Observed(Optional.empty(), List.of(), Optional.of(blocker), Optional.empty());
    }

    static Observed finished(List<Pod> pods) {
        return new Observed(Optional.empty(), pods, Optional.empty(), Optional.empty());
    }

    /**
     * @param reason condition reason, e.g. DatasetNotReady or CandidateNotReady
     * @param message a sentence for the user
     */
    record Blocker(String reason, String message) {
    }
}
