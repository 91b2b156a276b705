package io.slmfleet.curation;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * {@code manifest.json}, the data set's audit record: inputs read, options, counts, the split per stratum, the sha256
 * of every data file and the task clusters. It holds no time or host name, so two runs on the same input with the same
 * options write the same manifest, byte for byte.
 */
final class Manifest {

    static final int VERSION = 1;
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Manifest() {
    }

    static byte[] json(CurationOptions options, NearDuplicates nearDuplicates, List<InputFile> inputs,
            RecordCounts counts, List<OutputFile> files, Map<String, long[]> strata, List<TaskCluster> clusters,
            long untrackedClusterRecords) {
        ObjectNode manifest = MAPPER.createObjectNode();
        manifest.put("manifestVersion", VERSION);
        ArrayNode inputList = manifest.putArray("inputs");
        for (InputFile input : inputs) {
            ObjectNode node = inputList.addObject().put("path", input.path()).put("bytes", input.bytes())
                    .put("lines", input.lines());
            if (input.problem() != null) {
                node.put("problem", input.problem());
            }
        }
        manifest.set("options", options(options, nearDuplicates));
        manifest.set("records", records(counts));
        ObjectNode split = manifest.putObject("split");
        ObjectNode fileNodes = manifest.putObject("files");
        for (OutputFile file : files) {
            String set = file.name().replace(".jsonl", "");
            split.put(set, file.examples());
            fileNodes.putObject(set).put("name", file.name()).put("examples", file.examples())
                    .put("bytes", file.bytes()).put("sha256", file.sha256());
        }
        ObjectNode byStratum = split.putObject("byStratum");
        strata.forEach((stratum, count) -> byStratum.putObject(stratum).put("train", count[0])
                .put("validation", count[1]).put("eval", count[2]));
        ObjectNode clusterNode = manifest.putObject("taskClusters");
        clusterNode.put("counted", "kept records and records dropped as notTeacher");
        clusterNode.put("untrackedRecords", untrackedClusterRecords);
        clusterNode.set("clusters", clusters(clusters));
        try {
            return MAPPER.writeValueAsBytes(manifest);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ObjectNode options(CurationOptions options, NearDuplicates nearDuplicates) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("agentRoute", options.agentRoute());
        ArrayNode tasks = node.putArray("tasks");
        options.tasks().stream().sorted().forEach(tasks::add);
        node.put("since", options.since() == null ? null : options.since().toString());
        node.put("until", options.until() == null ? null : options.until().toString());
        node.put("labels", options.labels().name());
        node.put("dedup", options.dedup().name());
        if (nearDuplicates != null) {
            node.put("nearThreshold", options.nearThreshold());
            node.put("lshBands", nearDuplicates.bands());
            node.put("lshRows", nearDuplicates.rows());
        }
        node.put("minChars", options.minChars());
        node.put("maxTokens", options.maxTokens());
        node.put("requireValidOutput", options.requireValidOutput());
        node.put("redactPII", options.redactPii());
        node.put("evalSize", options.evalSize());
        node.put("validationRatio", options.validationRatio());
        node.put("stratifyBy", options.stratifyBy().name());
        node.put("seed", options.seed());
        return node;
    }

    /** {@code {"read": N, "kept": N, "dropped": {reason: N}}}, only the reasons that dropped something. */
    static ObjectNode records(RecordCounts counts) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("read", counts.read());
        node.put("kept", counts.kept());
        ObjectNode dropped = node.putObject("dropped");
        counts.dropped().forEach((reason, count) -> dropped.put(reason.name(), count));
        return node;
    }

    static ArrayNode clusters(List<TaskCluster> clusters) {
        ArrayNode list = MAPPER.createArrayNode();
        for (TaskCluster cluster : clusters) {
            ObjectNode node = list.addObject().put("fingerprint", cluster.fingerprint()).put("records", cluster.records())
                    .put("share", cluster.share()).put("suggestedTask", cluster.suggestedTask());
            ArrayNode tools = node.putArray("tools");
            cluster.tools().forEach(tools::add);
            node.put("example", cluster.example());
        }
        return list;
    }
}
