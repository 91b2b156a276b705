package io.slmfleet.curationjob;

import java.util.Optional;

import io.slmfleet.api.v1alpha1.ClaimPath;
import io.slmfleet.api.v1alpha1.CurationJob;
import io.slmfleet.api.v1alpha1.CurationJobStatus;
import io.slmfleet.common.Conditions;

/**
 * What the kinds that read a CurationJob's data set by name (FineTuneJob, EvaluationJob) share: whether it can be read
 * yet, and where its files are.
 */
public final class CuratedDataSets {

    /**
     * Why a data set cannot be read yet.
     *
     * @param reason DatasetNotFound, DatasetFailed or DatasetNotReady
     */
    public record Problem(String reason, String message) {
    }

    private CuratedDataSets() {
    }

    /**
     * @param name the CurationJob named by the consumer
     * @param consumerKind the kind that waits, for the fix in the message
     */
    public static Optional<Problem> notReady(String name, Optional<CurationJob> curation, String consumerKind) {
        if (curation.isEmpty()) {
            return Optional.of(new Problem("DatasetNotFound", "CurationJob " + name + " not found"));
        }
        CurationJobStatus status = curation.get().getStatus();
        if (status != null && status.phase == CurationJobStatus.Phase.Failed) {
            String why = Conditions.find(status.conditions, CurationStatusLogic.FAILED)
                    .map(failed -> " (" + failed.getReason() + "): " + failed.getMessage()).orElse("");
            return Optional.of(new Problem("DatasetFailed", "CurationJob " + name + " failed" + why
                    + "; create it again or name another CurationJob in a new " + consumerKind));
        }
        if (status == null || status.phase != CurationJobStatus.Phase.Succeeded) {
            return Optional.of(new Problem("DatasetNotReady", "waiting for CurationJob " + name + " to write its "
                    + "data set (" + (status == null || status.phase == null ? "not started" : status.phase.name()) + ")"));
        }
        return Optional.empty();
    }

    /** The evaluation set of a CurationJob, as a file inside its output claim. */
    public static ClaimPath evalFile(CurationJob curation) {
        ClaimPath output = curation.getSpec().output.volume;
        return new ClaimPath(output.claimName, CurationLayout.inClaim(output, CurationLayout.EVAL_FILE));
    }
}
