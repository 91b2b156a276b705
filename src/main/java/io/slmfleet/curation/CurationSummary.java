package io.slmfleet.curation;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The compact JSON summary written to {@code --summary-file}: the CurationJob's pod writes it to
 * {@code /dev/termination-log}, where the operator reads it back into the CurationJob's status. Kubernetes keeps at
 * most {@value #MAX_BYTES} bytes of a termination message, so the clusters are cut to the largest few and their
 * examples shortened until it fits.
 */
public final class CurationSummary {

    public static final int MAX_BYTES = 4096;
    static final int MAX_CLUSTERS = 10;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private CurationSummary() {
    }

    public static String succeeded(CurationResult result, String message) {
        ObjectNode summary = base("Succeeded", null, message, result.records());
        if (result.unreadableFiles() > 0) {
            summary.put("unreadableFiles", result.unreadableFiles());
        }
        ObjectNode files = summary.putObject("files");
        ObjectNode split = MAPPER.createObjectNode();
        for (OutputFile file : result.files()) {
            String set = file.name().replace(".jsonl", "").replace(".json", "");
            files.put(set, file.name());
            if (!file.name().equals(Curation.MANIFEST)) {
                split.put(set, file.examples());
            }
        }
        summary.set("split", split);
        return fit(summary, result.clusters());
    }

    /**
     * @param reason null for a failure with no deterministic reason (an I/O error)
     * @param records the counts so far; null when nothing was read
     */
    public static String failed(CurationFailure.Reason reason, String message, RecordCounts records) {
        return fit(base("Failed", reason == null ? null : reason.name(), message, records), List.of());
    }

    private static ObjectNode base(String outcome, String reason, String message, RecordCounts records) {
        ObjectNode summary = MAPPER.createObjectNode();
        summary.put("outcome", outcome);
        summary.put("reason", reason);
        summary.put("message", message);
        if (records != null) {
            summary.set("records", Manifest.records(records));
        }
        return summary;
    }

    /** Fewer clusters, then shorter examples, then no clusters and a shorter message, until it fits. */
    private static String fit(ObjectNode summary, List<TaskCluster> clusters) {
        List<TaskCluster> shown = new ArrayList<>(clusters.subList(0, Math.min(MAX_CLUSTERS, clusters.size())));
        int exampleChars = TaskClusters.EXAMPLE_CHARS;
        while (true) {
            List<TaskCluster> withExamples = new ArrayList<>();
            for (TaskCluster cluster : shown) {
                withExamples.add(new TaskCluster(cluster.fingerprint(), cluster.records(), cluster.share(),
                        cluster.suggestedTask(), cluster.tools(), TaskClusters.shorten(cluster.example(), exampleChars)));
            }
            summary.set("taskClusters", Manifest.clusters(withExamples));
            String json = write(summary);
            if (json.getBytes(StandardCharsets.UTF_8).length <= MAX_BYTES) {
                return json;
            }
            if (shown.size() > 3) {
                shown.remove(shown.size() - 1);
            } else if (exampleChars > 20) {
                exampleChars /= 2;
            } else if (!shown.isEmpty()) {
                shown.remove(shown.size() - 1);
            } else {
                String message = summary.path("message").asText();
                summary.put("message", TaskClusters.shorten(message, message.length() / 2));
            }
        }
    }

    private static String write(ObjectNode summary) {
        try {
            return MAPPER.writeValueAsString(summary);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
