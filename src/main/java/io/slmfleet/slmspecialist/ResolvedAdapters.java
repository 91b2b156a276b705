package io.slmfleet.slmspecialist;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import io.slmfleet.api.v1alpha1.AdapterSpec;
import io.slmfleet.api.v1alpha1.AdapterStatus;
import io.slmfleet.api.v1alpha1.AdapterStatus.State;
import io.slmfleet.api.v1alpha1.FineTuneJob;
import io.slmfleet.api.v1alpha1.FineTuneJobStatus;
import io.slmfleet.api.v1alpha1.SLMSpecialist;

/**
 * A specialist's adapters resolved against their sources.
 * <p>
 * NIM serves the adapters it finds in one directory (NIM_PEFT_SOURCE), rescanned every refresh interval. So the
 * specialist mounts one adapter claim there, whole, and an adapter is the directory {@code <claim>/<adapter name>/}.
 * The claim of an adapter published by a FineTuneJob is known from the job's spec before the job ends, so the mount is
 * in place early and the adapter appears in it, without a restart, when the trainer renames it into place.
 *
 * @param claimName the adapter claim to mount, or empty when no adapter source names one yet
 * @param adapters each listed adapter with its state
 */
public record ResolvedAdapters(Optional<String> claimName, List<AdapterStatus> adapters) {

    public static ResolvedAdapters resolve(SLMSpecialist specialist, Function<String, Optional<FineTuneJob>> fineTuneJobs) {
        String servedModel = specialist.getSpec().model.name;
        int maxRank = specialist.getSpec().lora.maxRank;
        String claim = null;
        List<AdapterStatus> states = new ArrayList<>();
        for (AdapterSpec adapter : specialist.getSpec().adapters) {
            Source source = adapter.volume != null
                    ? new Source("volume/" + adapter.volume.claimName, adapter.volume.claimName, State.Mounted, null)
                    : fromFineTuneJob(adapter, servedModel, maxRank, fineTuneJobs.apply(adapter.fineTuneJob));
            if (source.claim != null && claim == null) {
                claim = source.claim;
            }
            if (source.claim != null && !source.claim.equals(claim)) {
                states.add(new AdapterStatus(adapter.name, source.name, State.Failed, "it is on claim " + source.claim
                        + ", but this specialist serves adapters from claim " + claim + " (NIM reads one adapter directory)"));
            } else {
                states.add(new AdapterStatus(adapter.name, source.name, source.state, source.message));
            }
        }
        return new ResolvedAdapters(Optional.ofNullable(claim), List.copyOf(states));
    }

    private static Source fromFineTuneJob(AdapterSpec adapter, String servedModel, int maxRank, Optional<FineTuneJob> found) {
        String name = "fineTuneJob/" + adapter.fineTuneJob;
        if (found.isEmpty()) {
            return new Source(name, null, State.Pending, "FineTuneJob " + adapter.fineTuneJob + " not found");
        }
        FineTuneJob job = found.get();
        String claim = job.getSpec().output.volume.claimName;
        String published = job.getSpec().output.adapterName;
        if (!adapter.name.equals(published)) {
            return new Source(name, null, State.Failed, "FineTuneJob " + adapter.fineTuneJob + " publishes adapter "
                    + published + ": NIM serves an adapter under its directory name, so name this adapter " + published);
        }
        if (!servedModel.equals(job.getSpec().baseModel.name)) {
            return new Source(name, null, State.Failed, "FineTuneJob " + adapter.fineTuneJob + " trains on base model "
                    + job.getSpec().baseModel.name + ", but this specialist serves " + servedModel);
        }
        int rank = job.getSpec().hyperparameters.rank;
        if (rank > maxRank) {
            // NIM refuses to load an adapter above NIM_MAX_LORA_RANK: say so before the GPU time of the training is spent
            return new Source(name, null, State.Failed, "FineTuneJob " + adapter.fineTuneJob + " trains LoRA rank " + rank
                    + ", above this specialist's lora.maxRank " + maxRank + " (NIM_MAX_LORA_RANK): NIM would not load it; "
                    + "raise lora.maxRank to at least " + rank + " or train a lower rank");
        }
        FineTuneJobStatus.Phase phase = job.getStatus() == null ? null : job.getStatus().phase;
        if (phase == FineTuneJobStatus.Phase.Succeeded) {
            return new Source(name, claim, State.Mounted, null);
        }
        if (phase == FineTuneJobStatus.Phase.Failed) {
            return new Source(name, claim, State.Failed, "FineTuneJob " + adapter.fineTuneJob + " failed");
        }
        return new Source(name, claim, State.Pending, "FineTuneJob " + adapter.fineTuneJob + " is "
                + (phase == null ? "Pending" : phase.name()));
    }

    public boolean allMounted() {
        return adapters.stream().allMatch(adapter -> adapter.state == State.Mounted);
    }

    private record Source(String name, String claim, State state, String message) {
    }
}
