package io.slmfleet.curation;

import static io.slmfleet.curation.UsageLines.record;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

class CurateCommandTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void succeedsWithASummaryOnStdoutAndInTheSummaryFile() throws Exception {
        List<ObjectNode> records = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            records.add(record("Parse invoice INV-" + i));
        }
        Path input = UsageLines.write(dir.resolve("in/usage-a.jsonl"), records);

        int exit = run("--input", input.toString(), "--output", dir.resolve("out").toString(), "--eval-size", "5",
                "--summary-file", dir.resolve("summary.json").toString());

        assertThat(exit).as(err.toString()).isZero();
        assertThat(out.toString()).contains("Read 20 records from 1 files", "Kept 20 of 20 records; dropped: none",
                "train.jsonl 14", "validation.jsonl 1", "eval.jsonl 5", "100.0 %", "parsing");
        JsonNode summary = UsageLines.MAPPER.readTree(dir.resolve("summary.json").toFile());
        assertThat(summary.path("outcome").asText()).isEqualTo("Succeeded");
        assertThat(summary.path("reason").isNull()).isTrue();
        assertThat(summary.path("message").asText()).isEqualTo("kept 20 of 20 records: 14 train, 1 validation, 5 eval");
        assertThat(summary.path("records").toString()).isEqualTo("{\"read\":20,\"kept\":20,\"dropped\":{}}");
        assertThat(summary.path("files").toString()).isEqualTo("{\"train\":\"train.jsonl\",\"validation\":"
                + "\"validation.jsonl\",\"eval\":\"eval.jsonl\",\"manifest\":\"manifest.json\"}");
        assertThat(summary.path("split").toString()).isEqualTo("{\"train\":14,\"validation\":1,\"eval\":5}");
        assertThat(summary.path("taskClusters").get(0).path("suggestedTask").asText()).isEqualTo("parsing");
        assertThat(summary.path("taskClusters").get(0).path("share").asDouble()).isEqualTo(1.0);
    }

    @Test
    void exitsWith2AndAFailedSummaryForFailuresARetryCannotFix() throws Exception {
        Path input = UsageLines.write(dir.resolve("in/usage-a.jsonl"), List.of(record("Parse invoice INV-1")));
        Path summary = dir.resolve("summary.json");

        assertThat(run("--input", input.toString(), "--output", dir.resolve("out").toString(), "--summary-file",
                summary.toString())).isEqualTo(2);
        assertThat(failure(summary)).isEqualTo("TooFewRecords");
        assertThat(err.toString()).contains("TooFewRecords", "Kept 1 of 1 records");

        assertThat(run("--input", input.toString(), "--output", dir.resolve("out").toString(), "--task", "triage",
                "--summary-file", summary.toString())).isEqualTo(2);
        assertThat(failure(summary)).isEqualTo("NoRecords");
        assertThat(UsageLines.MAPPER.readTree(summary.toFile()).path("records").path("dropped").path("notSelected")
                .asLong()).isEqualTo(1);

        Files.createDirectories(dir.resolve("taken"));
        Files.writeString(dir.resolve("taken/manifest.json"), "{}");
        assertThat(run("--input", input.toString(), "--output", dir.resolve("taken").toString(), "--summary-file",
                summary.toString())).isEqualTo(2);
        assertThat(failure(summary)).isEqualTo("OutputExists");

        assertThat(run("--input", input.toString(), "--labels", "everyone", "--summary-file", summary.toString()))
                .isEqualTo(2);
        assertThat(failure(summary)).isEqualTo("InvalidArguments");
        assertThat(err.toString()).contains("invalid value for --labels: everyone", "usage: curate");
    }

    @Test
    void aTaskFilterPassesOverUnroutedRecordsWhoseTaskIsNull() throws Exception {
        List<ObjectNode> records = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            records.add(record("Parse invoice INV-" + i));
        }
        // as the router records an unknownTask fallback
        records.add(record("What is the weather in Rome?", unrouted -> unrouted.putNull("task")
                .put("fallbackReason", "unknownTask")));
        Path input = UsageLines.write(dir.resolve("in/usage-a.jsonl"), records);
        Path summary = dir.resolve("summary.json");

        int exit = run("--input", input.toString(), "--output", dir.resolve("out").toString(), "--eval-size", "5",
                "--task", "parsing", "--summary-file", summary.toString());

        assertThat(exit).as(err.toString()).isZero();
        assertThat(UsageLines.MAPPER.readTree(summary.toFile()).path("records").toString())
                .isEqualTo("{\"read\":21,\"kept\":20,\"dropped\":{\"notSelected\":1}}");
    }

    @Test
    void aRecordOfAnUnexpectedShapeIsMalformedNotTheEndOfTheRun() throws Exception {
        List<ObjectNode> records = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            records.add(record("Parse invoice INV-" + i));
        }
        records.add(record("Parse invoice INV-odd", odd -> odd.putArray("request")));
        records.add(record("Parse invoice INV-odder", odd -> ((ObjectNode) odd.get("request")).put("messages", 7)));
        records.add(record("Parse invoice INV-oddest", odd -> odd.putArray("response").add("not a response")));
        Path input = UsageLines.write(dir.resolve("in/usage-a.jsonl"), records);
        Path summary = dir.resolve("summary.json");

        int exit = run("--input", input.toString(), "--output", dir.resolve("out").toString(), "--eval-size", "5",
                "--summary-file", summary.toString());

        assertThat(exit).as(err.toString()).isZero();
        assertThat(UsageLines.MAPPER.readTree(summary.toFile()).path("records").toString())
                .isEqualTo("{\"read\":23,\"kept\":20,\"dropped\":{\"malformed\":3}}");
    }

    @Test
    void exitsWith1ForAnInputThatMayAppearLater() throws Exception {
        Path summary = dir.resolve("summary.json");

        assertThat(run("--input", dir.resolve("not-mounted-yet").toString(), "--output", dir.resolve("out").toString(),
                "--summary-file", summary.toString())).isEqualTo(1);
        assertThat(failure(summary)).isEqualTo("InputUnreadable");
    }

    @Test
    void printsProgressEveryFiveSecondsOnStderr() throws Exception {
        List<ObjectNode> records = new ArrayList<>();
        for (int i = 0; i < 6 * 2048; i++) {
            records.add(record("Request " + i));
        }
        Path input = UsageLines.write(dir.resolve("in/usage-a.jsonl"), records);
        Clock everyCallTwoSecondsLater = new Clock() {
            private long millis;

            @Override
            public Instant instant() {
                millis += 2000;
                return Instant.ofEpochMilli(millis);
            }

            @Override
            public java.time.ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }
        };

        int exit = new CurateCommand(everyCallTwoSecondsLater).run(List.of("--input", input.toString(), "--output",
                dir.resolve("out").toString()), new PrintStream(out), new PrintStream(err));

        assertThat(exit).isZero();
        assertThat(err.toString().lines().filter(line -> line.startsWith("curate: ")).toList())
                .as("checked after each chunk of 2048 lines, 2 s apart; told when 5 s have passed").containsExactly(
                        "curate: 6,144 records read, " + megabytes(input, 6144, 6) + " MB/s",
                        "curate: 12,288 records read, " + megabytes(input, 12288, 12) + " MB/s");
    }

    /** "MB read, MB/s" after the first {@code lines} lines of the input. */
    private static String megabytes(Path input, int lines, int seconds) throws Exception {
        long bytes = Files.readAllLines(input).stream().limit(lines).mapToLong(line -> line.length() + 1).sum();
        return String.format(java.util.Locale.ROOT, "%.1f MB, %.1f", bytes / 1e6, bytes / 1e6 / seconds);
    }

    private String failure(Path summary) throws Exception {
        JsonNode json = UsageLines.MAPPER.readTree(summary.toFile());
        assertThat(json.path("outcome").asText()).isEqualTo("Failed");
        return json.path("reason").asText();
    }

    private int run(String... arguments) {
        return new CurateCommand(Clock.systemUTC()).run(List.of(arguments), new PrintStream(out, true,
                StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }
}
