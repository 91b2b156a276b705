package io.slmfleet.curation;

import java.util.List;
import java.util.Map;

/**
 * A data set written.
 *
 * @param inputs every file read, in reading order
 * @param records counts read, kept and dropped by reason
 * @param files train, validation, eval, then the manifest
 * @param strata examples per split set for each stratum: {train, validation, eval}
 * @param clusters task clusters, largest first
 * @param untrackedClusterRecords records of fingerprints beyond the clusters tracked
 */
public record CurationResult(List<InputFile> inputs, RecordCounts records, List<OutputFile> files,
        Map<String, long[]> strata, List<TaskCluster> clusters, long untrackedClusterRecords) {

    public long unreadableFiles() {
        return inputs.stream().filter(input -> input.problem() != null).count();
    }
}
