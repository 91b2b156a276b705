package io.slmfleet.curation;

import java.util.List;

/**
 * One task cluster, as the manifest and the summary report it (see {@link TaskClusters} for the grouping).
 *
 * @param fingerprint the first 12 hex digits of the cluster's fingerprint
 * @param records kept and not-the-teacher's records in it
 * @param share of all clustered records, rounded to 3 decimals
 * @param suggestedTask a name for the task the records do
 * @param tools the tool names the requests offered, sorted
 * @param example the first record's first user turn, redacted, at most 160 characters
 */
public record TaskCluster(String fingerprint, long records, double share, String suggestedTask, List<String> tools,
        String example) {
}
