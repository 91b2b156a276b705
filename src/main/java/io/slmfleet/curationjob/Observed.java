package io.slmfleet.curationjob;

import java.util.List;
import java.util.Optional;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;

/**
 * What the reconciler saw of a CurationJob's world, the only input of its status besides the CurationJob itself.
 *
 * @param job the curation Job, as last seen
 * @param pods its pods (for reasons a Job does not tell, and the summary in the termination message)
 * @param blocker why no Job runs yet (a missing claim), if so
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
     * @param reason condition reason, e.g. SourceNotFound
     * @param message a sentence for the user
     */
    record Blocker(String reason, String message) {
    }
}
