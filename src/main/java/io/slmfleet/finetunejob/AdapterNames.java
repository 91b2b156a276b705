package io.slmfleet.finetunejob;

import java.util.Collection;
import java.util.Comparator;
import java.util.Optional;

import io.slmfleet.api.v1alpha1.FineTuneJob;
import io.slmfleet.api.v1alpha1.FineTuneJobStatus.Phase;

/**
 * Who owns an adapter directory {@code <claim>/<adapterName>/} among the FineTuneJobs of a namespace: the one that
 * published it, else the oldest one still able to (a failed run never published anything). Another run with the same
 * output is refused, so a published adapter is never overwritten (the wrapper refuses too, on the volume itself).
 */
final class AdapterNames {

    private static final Comparator<FineTuneJob> OLDEST_FIRST = Comparator
            .comparing((FineTuneJob job) -> String.valueOf(job.getMetadata().getCreationTimestamp()))
            .thenComparing(job -> job.getMetadata().getName());

    private AdapterNames() {
    }

    /** The index key of a FineTuneJob's output: namespace, claim and adapter name. */
    static String outputKey(FineTuneJob job) {
        return job.getMetadata().getNamespace() + "/" + job.getSpec().output.volume.claimName + "/"
                + job.getSpec().output.adapterName;
    }

    /** The other FineTuneJob that holds {@code job}'s adapter name, among those with the same output key. */
    static Optional<FineTuneJob> heldByAnother(FineTuneJob job, Collection<FineTuneJob> sameOutput) {
        return sameOutput.stream()
                .filter(other -> !other.getMetadata().getName().equals(job.getMetadata().getName()))
                .filter(other -> phase(other) == Phase.Succeeded
                        || phase(other) != Phase.Failed && OLDEST_FIRST.compare(other, job) < 0)
                .min(Comparator.comparing((FineTuneJob other) -> phase(other) == Phase.Succeeded ? 0 : 1)
                        .thenComparing(OLDEST_FIRST));
    }

    private static Phase phase(FineTuneJob job) {
        return job.getStatus() == null ? null : job.getStatus().phase;
    }
}
