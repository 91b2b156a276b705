package io.slmfleet.curationjob;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.slmfleet.api.v1alpha1.CurationJobStatus.Records;
import io.slmfleet.api.v1alpha1.CurationJobStatus.SplitCounts;
import io.slmfleet.api.v1alpha1.CurationJobStatus.TaskCluster;

/**
 * The one-line JSON summary the {@code curate} command leaves in its pod's termination message (docs/curation.md),
 * success or failure. Fields it does not know are ignored, so the command may tell more than the status shows.
 *
 * @param succeeded whether the data set was written
 * @param reason why it was not (NoRecords, TooFewRecords, OutputExists, ...), or null
 * @param message one sentence
 */
record CurationSummary(boolean succeeded, String reason, String message, Records records, SplitCounts split,
        List<TaskCluster> taskClusters) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The summary in a termination message, or empty when the message is something else (a log tail). */
    static Optional<CurationSummary> parse(String message) {
        if (message == null || message.isBlank()) {
            return Optional.empty();
        }
        JsonNode root;
        try {
            root = JSON.readTree(message.trim());
        } catch (JsonProcessingException e) {
            return Optional.empty();
        }
        if (root == null || !root.isObject() || !root.path("outcome").isTextual()) {
            return Optional.empty();
        }
        return Optional.of(new CurationSummary("Succeeded".equals(root.get("outcome").asText()), text(root, "reason"),
                text(root, "message"), records(root.path("records")), split(root.path("split")),
                clusters(root.path("taskClusters"))));
    }

    private static Records records(JsonNode node) {
        if (!node.isObject()) {
            return null;
        }
        Records records = new Records();
        records.read = count(node, "read");
        records.kept = count(node, "kept");
        Iterator<Map.Entry<String, JsonNode>> dropped = node.path("dropped").fields();
        while (dropped.hasNext()) {
            Map.Entry<String, JsonNode> reason = dropped.next();
            if (reason.getValue().canConvertToLong() && reason.getValue().asLong() > 0) {
                records.dropped.put(reason.getKey(), reason.getValue().asLong());
            }
        }
        return records;
    }

    private static SplitCounts split(JsonNode node) {
        if (!node.isObject()) {
            return null;
        }
        SplitCounts split = new SplitCounts();
        split.train = count(node, "train");
        split.validation = count(node, "validation");
        split.eval = count(node, "eval");
        return split;
    }

    private static List<TaskCluster> clusters(JsonNode node) {
        if (!node.isArray()) {
            return null;
        }
        List<TaskCluster> clusters = new ArrayList<>();
        for (JsonNode entry : node) {
            TaskCluster cluster = new TaskCluster();
            cluster.fingerprint = text(entry, "fingerprint");
            cluster.records = count(entry, "records");
            cluster.share = entry.path("share").isNumber() ? entry.get("share").asDouble() : null;
            cluster.suggestedTask = text(entry, "suggestedTask");
            if (entry.path("tools").isArray()) {
                cluster.tools = new ArrayList<>();
                entry.get("tools").forEach(tool -> cluster.tools.add(tool.asText()));
            }
            cluster.example = text(entry, "example");
            clusters.add(cluster);
        }
        return clusters;
    }

    private static Long count(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && value.canConvertToLong() ? value.asLong() : null;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && value.isTextual() ? value.asText() : null;
    }
}
