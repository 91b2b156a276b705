package io.slmfleet.finetunejob;

import java.util.Optional;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.slmfleet.api.v1alpha1.ClaimPath;
import io.slmfleet.api.v1alpha1.CurationJob;
import io.slmfleet.api.v1alpha1.FineTuneJob;
import io.slmfleet.curationjob.CuratedDataSets;

/**
 * A FineTuneJob whose dataset is a CurationJob's ({@code dataset.curationJob}) trains on that job's train.jsonl and
 * validation.jsonl, already split, from the CurationJob's output directory: its training Job mounts that directory
 * read-only as it would a {@code dataset.volume}, and starts only once the CurationJob has succeeded.
 */
public final class CuratedDataset {

    private static final ObjectMapper JSON = new ObjectMapper();

    private CuratedDataset() {
    }

    public static boolean isCurated(FineTuneJob job) {
        return job.getSpec().dataset.curationJob != null;
    }

    /**
     * The FineTuneJob as its children see it: {@code dataset.volume} is the data set's directory. A copy; the user's
     * spec is never changed.
     */
    public static FineTuneJob resolve(FineTuneJob job, ClaimPath dataSet) {
        FineTuneJob resolved = JSON.convertValue(job, FineTuneJob.class);
        resolved.getSpec().dataset.volume = new ClaimPath(dataSet.claimName, dataSet.path);
        return resolved;
    }

    /** Why the named CurationJob's data set cannot be trained on yet (absent, running, failed), or empty. */
    static Optional<Observed.Blocker> notReady(FineTuneJob job, Optional<CurationJob> curation) {
        return CuratedDataSets.notReady(job.getSpec().dataset.curationJob, curation, "FineTuneJob")
                .map(problem -> new Observed.Blocker(problem.reason(), problem.message(), false));
    }
}
