package io.slmfleet.curation;

import static io.slmfleet.curation.UsageLines.record;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The curate command as the CurationJob's pod and a user run it: the packaged application, no cluster, a summary on
 * stdout, the JSON summary in {@code --summary-file}, the exit code. Runs after {@code package} (failsafe).
 */
class CurateCommandIT {

    @TempDir
    Path dir;

    @Test
    void curatesUsageFilesIntoADataSet() throws Exception {
        List<ObjectNode> records = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            records.add(record("Parse invoice INV-" + i + " for jane.doe@example.com"));
        }
        records.add(record("Parse invoice INV-0 for jane.doe@example.com"));
        records.add(record("Parse invoice INV-99", r -> r.put("target", "invoice-slm")));
        Path input = UsageLines.writeGzip(dir.resolve("usage/raw/usage-router-0-1.jsonl.gz"), records);
        Path output = dir.resolve("datasets/invoice");

        Result result = curate("--input", dir.resolve("usage").toString(), "--output", output.toString(),
                "--eval-size", "5", "--summary-file", dir.resolve("termination-log").toString());

        assertThat(result.exit).as("exit code; stderr: %s", result.err).isZero();
        assertThat(result.err).doesNotContain("Exception", "INFO");
        assertThat(result.out).startsWith("Read 32 records from 1 files")
                .contains("Kept 30 of 32 records; dropped: notTeacher 1, duplicate 1",
                        "train.jsonl 23 validation.jsonl 2 eval.jsonl 5", "parsing");
        assertThat(Files.readAllLines(output.resolve("train.jsonl"))).hasSize(23)
                .allSatisfy(line -> assertThat(line).contains("[EMAIL]").doesNotContain("jane.doe"));
        JsonNode manifest = UsageLines.MAPPER.readTree(output.resolve("manifest.json").toFile());
        assertThat(manifest.path("inputs").get(0).path("path").asText()).isEqualTo(input.toString());
        JsonNode summary = UsageLines.MAPPER.readTree(dir.resolve("termination-log").toFile());
        assertThat(summary.path("outcome").asText()).isEqualTo("Succeeded");
        assertThat(summary.path("split").toString()).isEqualTo("{\"train\":23,\"validation\":2,\"eval\":5}");
        assertThat(summary.path("taskClusters").get(0).path("records").asLong()).isEqualTo(31);
    }

    @Test
    void exitsWith2WhenNoRecordIsLeft() throws Exception {
        UsageLines.write(dir.resolve("usage/usage-router-0-1.jsonl"), List.of("not json",
                record("Parse invoice INV-1", r -> r.put("schemaVersion", 2))));

        Result result = curate("--input", dir.resolve("usage").toString(), "--output", dir.resolve("out").toString(),
                "--summary-file", dir.resolve("termination-log").toString());

        assertThat(result.exit).isEqualTo(2);
        assertThat(result.out).isEmpty();
        assertThat(result.err).contains("NoRecords", "malformed 1", "otherSchemaVersion 1");
        JsonNode summary = UsageLines.MAPPER.readTree(dir.resolve("termination-log").toFile());
        assertThat(summary.path("reason").asText()).isEqualTo("NoRecords");
        assertThat(summary.path("records").path("dropped").path("malformed").asLong()).isEqualTo(1);
    }

    private record Result(int exit, String out, String err) {
    }

    private static Result curate(String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of("java", "-jar", "target/quarkus-app/quarkus-run.jar", "curate"));
        command.addAll(List.of(arguments));
        Process curate = new ProcessBuilder(command).start();
        String out = new String(curate.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(curate.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(curate.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new Result(curate.exitValue(), out, err);
    }
}
