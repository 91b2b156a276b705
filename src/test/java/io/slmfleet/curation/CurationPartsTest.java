package io.slmfleet.curation;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.fasterxml.jackson.databind.JsonNode;

/** The engine's parts: argument parsing, the hash set, the LSH parameters, the summary's size cap. */
class CurationPartsTest {

    @Test
    void parsesEveryOption() {
        CurateArguments parsed = CurateArguments.parse(List.of("--input", "/a", "--input=/b", "--output", "/out",
                "--agent-route", "invoice-agent", "--task", "parsing", "--task", "triage", "--since",
                "2026-11-01T00:00:00Z", "--until", "2026-12-01T01:00:00+01:00", "--labels", "accepted", "--dedup", "near",
                "--near-threshold", "0.8", "--min-chars", "5", "--max-tokens", "4096", "--require-valid-output", "false",
                "--redact-pii", "false", "--eval-size", "50", "--validation-ratio", "0.2", "--stratify-by", "task",
                "--seed", "7", "--summary-file", "/dev/termination-log"));

        assertThat(parsed.problem()).isNull();
        assertThat(parsed.options()).isEqualTo(new CurationOptions(List.of(Path.of("/a"), Path.of("/b")), Path.of("/out"),
                "invoice-agent", Set.of("parsing", "triage"), Instant.parse("2026-11-01T00:00:00Z"),
                Instant.parse("2026-12-01T00:00:00Z"), CurationOptions.Labels.accepted, CurationOptions.Dedup.near, 0.8, 5,
                4096, false, false, 50, 0.2, CurationOptions.StratifyBy.task, 7));
        assertThat(parsed.summaryFile()).isEqualTo(Path.of("/dev/termination-log"));
    }

    @Test
    void defaultsAreTheCurationJobs() {
        CurateArguments parsed = CurateArguments.parse(List.of("--input", "/a", "--output", "/out"));

        assertThat(parsed.options()).isEqualTo(CurationOptions.defaults(List.of(Path.of("/a")), Path.of("/out")));
        assertThat(parsed.options().evalSize()).isEqualTo(200);
        assertThat(parsed.options().labels()).isEqualTo(CurationOptions.Labels.teacher);
        assertThat(parsed.options().dedup()).isEqualTo(CurationOptions.Dedup.exact);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            --output /out                                           | no input: give at least one --input
            --input /a                                              | no output directory: give --output
            --input /a --output /out --labels all                   | invalid value for --labels: all
            --input /a --output /out --since yesterday              | invalid value for --since: yesterday
            --input /a --output /out --eval-size many               | invalid value for --eval-size: many
            --input /a --output /out --redact-pii yes               | invalid value for --redact-pii: yes
            --input /a --output /out --colour blue                  | unknown option --colour
            --input /a --output /out --seed                         | --seed needs a value
            --input /a --output /out --validation-ratio 1           | validation-ratio must be at least 0 and below 1, not 1.0
            --input /a --output /out --near-threshold 1.5           | near-threshold must be between 0 and 1 (exclusive), not 1.5
            --input /a --output /out --eval-size -1                 | eval-size must be 0 or more, not -1
            --input /a --output /out --since 2026-11-02T00:00:00Z --until 2026-11-01T00:00:00Z | the time window is empty: since 2026-11-02T00:00:00Z is not before until 2026-11-01T00:00:00Z
            """)
    void refusesBadArguments(String arguments, String problem) {
        CurateArguments parsed = CurateArguments.parse(List.of(arguments.split(" ")));

        assertThat(parsed.options()).isNull();
        assertThat(parsed.problem()).isEqualTo(problem);
    }

    @Test
    void findsTheSummaryFileEvenAfterAMistake() {
        CurateArguments parsed = CurateArguments.parse(List.of("--labels", "all", "--summary-file", "/tmp/summary"));

        assertThat(parsed.summaryFile()).isEqualTo(Path.of("/tmp/summary"));
    }

    @Test
    void theHashSetHoldsZeroAndGrows() {
        LongHashSet set = new LongHashSet();

        for (long i = 0; i < 100_000; i++) {
            assertThat(set.add(i * 0x9e3779b97f4a7c15L)).isTrue();
        }

        assertThat(set.add(0)).isFalse();
        assertThat(set.add(5 * 0x9e3779b97f4a7c15L)).isFalse();
        assertThat(set.contains(99_999 * 0x9e3779b97f4a7c15L)).isTrue();
        assertThat(set.contains(100_000 * 0x9e3779b97f4a7c15L)).isFalse();
    }

    @ParameterizedTest(name = "threshold {0}: {1} bands of {2} rows")
    @CsvSource({ "0.9, 5, 25", "0.8, 9, 13", "0.7, 14, 9", "0.5, 25, 5" })
    void choosesBandsAndRowsForTheThreshold(double threshold, int bands, int rows) {
        assertThat(NearDuplicates.bandsAndRows(threshold)).containsExactly(bands, rows);
    }

    @Test
    void capsTheSummaryAt4096BytesByCuttingClustersAndExamples() throws Exception {
        RecordCounts counts = new RecordCounts();
        for (int i = 0; i < 1000; i++) {
            counts.countRead();
            counts.countKept();
        }
        List<TaskCluster> clusters = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            clusters.add(new TaskCluster(String.format("%012x", i), 25, 0.025, "task-" + i,
                    List.of("lookup_order_with_a_long_name", "create_ticket_with_a_long_name"), "é".repeat(159) + "…"));
        }
        CurationResult result = new CurationResult(List.of(), counts, List.of(new OutputFile("train.jsonl", 800, 1, "x"),
                new OutputFile("validation.jsonl", 0, 1, "x"), new OutputFile("eval.jsonl", 200, 1, "x"),
                new OutputFile("manifest.json", 0, 1, "x")), java.util.Map.of(), clusters, 0);

        String summary = CurationSummary.succeeded(result, "kept 1000 of 1000 records");

        assertThat(summary.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(CurationSummary.MAX_BYTES);
        JsonNode json = UsageLines.MAPPER.readTree(summary);
        assertThat(json.path("taskClusters").size()).isBetween(1, 10);
        assertThat(json.path("taskClusters").get(0).path("fingerprint").asText()).isEqualTo("000000000000");
        assertThat(json.path("split").toString()).isEqualTo("{\"train\":800,\"validation\":0,\"eval\":200}");
    }
}
