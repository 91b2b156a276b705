package io.slmfleet.curation;

import static io.slmfleet.curation.UsageLines.record;
import static io.slmfleet.curation.UsageLines.toolCall;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

class CurationTest {

    @TempDir
    Path dir;

    static Stream<Arguments> filters() {
        return Stream.of(
                row("a teacher answer is kept", List.of(), r -> {
                }, null),
                row("a specialist's answer is not the teacher's", List.of(), r -> r.put("target", "invoice-slm"),
                        DropReason.notTeacher),
                row("labels accepted keep a specialist's answer", List.of("--labels", "accepted"),
                        r -> r.put("target", "invoice-slm"), null),
                row("labels accepted never keep invalid_output", List.of("--labels", "accepted",
                        "--require-valid-output", "false"), r -> r.put("outcome", "invalid_output"),
                        DropReason.invalidOutput),
                row("status other than 200", List.of(), r -> r.put("status", 201), DropReason.error),
                row("an error outcome", List.of(), r -> r.put("outcome", "error"), DropReason.error),
                row("invalid_output", List.of(), r -> r.put("outcome", "invalid_output"), DropReason.invalidOutput),
                row("invalid_output kept when valid output is not required", List.of("--require-valid-output", "false"),
                        r -> r.put("outcome", "invalid_output"), null),
                row("tool-call arguments that are not JSON", List.of(),
                        r -> toolCall(r, "extract_invoice", "{\"total\": 12"), DropReason.invalidOutput),
                row("tool-call arguments that are JSON", List.of(), r -> toolCall(r, "extract_invoice", "{\"total\": 12}"),
                        null),
                row("bad tool-call JSON kept when valid output is not required", List.of("--require-valid-output",
                        "false"), r -> toolCall(r, "extract_invoice", "{oops"), null),
                row("a JSON response format answered with prose", List.of(), r -> {
                    ((ObjectNode) r.get("request")).putObject("response_format").put("type", "json_object");
                    answer(r).put("content", "Sure! The total is 12.");
                }, DropReason.invalidOutput),
                row("user text under min-chars", List.of("--min-chars", "100"), r -> {
                }, DropReason.tooShort),
                row("usage.total_tokens over max-tokens", List.of("--max-tokens", "49"), r -> {
                }, DropReason.tooLong),
                row("usage.total_tokens at max-tokens", List.of("--max-tokens", "50"), r -> {
                }, null),
                row("without usage, characters / 4 over max-tokens", List.of("--max-tokens", "20"),
                        r -> r.remove("usage"), DropReason.tooLong),
                row("without usage, characters / 4 within max-tokens", List.of("--max-tokens", "40"),
                        r -> r.remove("usage"), null),
                row("another route", List.of("--agent-route", "support-agent"), r -> {
                }, DropReason.notSelected),
                row("the route by name", List.of("--agent-route", "invoice-agent"), r -> {
                }, null),
                row("the route by namespace/name", List.of("--agent-route", "agents/invoice-agent"), r -> {
                }, null),
                row("another task", List.of("--task", "triage"), r -> {
                }, DropReason.notSelected),
                row("one of the tasks", List.of("--task", "triage", "--task", "parsing"), r -> {
                }, null),
                row("before since", List.of("--since", "2026-11-15T10:00:01Z"), r -> {
                }, DropReason.notSelected),
                row("at since", List.of("--since", "2026-11-15T10:00:00Z"), r -> {
                }, null),
                row("at until (exclusive)", List.of("--until", "2026-11-15T10:00:00Z"), r -> {
                }, DropReason.notSelected),
                row("no time with a window", List.of("--until", "2026-12-01T00:00:00Z"), r -> r.remove("time"),
                        DropReason.malformed),
                row("a completions record has no chat", List.of(), r -> {
                    ObjectNode request = (ObjectNode) r.get("request");
                    request.remove("messages");
                    request.put("prompt", "Complete this invoice");
                }, DropReason.notSelected),
                row("no answer", List.of(), r -> r.remove("response"), DropReason.malformed),
                row("schema version 2", List.of(), r -> r.put("schemaVersion", 2), DropReason.otherSchemaVersion),
                row("no schema version is version 1", List.of(), r -> r.remove("schemaVersion"), null),
                row("no outcome (written before the router recorded it) is ok", List.of(), r -> r.remove("outcome"),
                        null));
    }

    private static Arguments row(String name, List<String> arguments, Consumer<ObjectNode> change, DropReason dropped) {
        return Arguments.of(name, arguments, change, dropped);
    }

    private static ObjectNode answer(ObjectNode record) {
        return (ObjectNode) record.path("response").path("choices").path(0).path("message");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("filters")
    void filters(String name, List<String> arguments, Consumer<ObjectNode> change, DropReason dropped) throws Exception {
        List<String> all = new ArrayList<>(List.of("--input", "usage.jsonl", "--output", "out"));
        all.addAll(arguments);
        UsageRecord examiner = new UsageRecord(options(all.toArray(String[]::new)), null);
        ObjectNode tested = record("Parse invoice INV-1 from ACME, total 12 EUR", change);

        UsageRecord.Examined examined = examiner.examine(UsageLines.MAPPER.writeValueAsBytes(tested));

        assertThat(examined.dropped()).isEqualTo(dropped);
        assertThat(examined.candidate() != null).as("a candidate").isEqualTo(dropped == null
                || dropped == DropReason.notTeacher);
    }

    @Test
    void countsEveryDropReasonAndKeepsTheRest() throws Exception {
        List<ObjectNode> records = List.of(record("Parse invoice INV-1"), record("Parse invoice INV-2",
                r -> r.put("target", "slm")), record("Parse invoice INV-3", r -> r.put("status", 500)),
                record("Parse invoice INV-1"), record("Parse invoice INV-4", r -> r.put("task", "triage")));

        CurationResult result = curate(records, List.of("--task", "parsing"));

        assertThat(result.records().read()).isEqualTo(5);
        assertThat(result.records().kept()).isEqualTo(1);
        assertThat(result.records().dropped()).containsExactly(Map.entry(DropReason.notSelected, 1L),
                Map.entry(DropReason.error, 1L), Map.entry(DropReason.notTeacher, 1L),
                Map.entry(DropReason.duplicate, 1L));
    }

    @Test
    void writesChatExamplesWithToolCallsAndToolsRedactedAgain() throws Exception {
        ObjectNode withTool = record("Invoice for jane.doe@example.com, IBAN DE89 3704 0044 0532 0130 00",
                r -> toolCall(r, "extract_invoice", "{\"iban\": \"DE89370400440532013000\"}"));

        curate(List.of(withTool), List.of());

        JsonNode example = UsageLines.MAPPER.readTree(Files.readString(dir.resolve("out/train.jsonl")));
        assertThat(example.path("messages")).hasSize(3);
        assertThat(example.path("messages").get(0).path("role").asText()).isEqualTo("system");
        assertThat(example.path("messages").get(1).path("content").asText())
                .isEqualTo("Invoice for [EMAIL], IBAN [IBAN]");
        JsonNode assistant = example.path("messages").get(2);
        assertThat(assistant.path("role").asText()).isEqualTo("assistant");
        assertThat(assistant.path("content").isNull()).isTrue();
        assertThat(assistant.path("tool_calls").get(0).path("function").path("name").asText()).isEqualTo("extract_invoice");
        assertThat(assistant.path("tool_calls").get(0).path("function").path("arguments").asText())
                .isEqualTo("{\"iban\": \"[IBAN]\"}");
        assertThat(example.path("tools").get(0).path("function").path("name").asText()).isEqualTo("extract_invoice");
        assertThat(example.fieldNames()).toIterable().containsExactly("messages", "tools");
    }

    @Test
    void keepsPersonalDataWhenRedactionIsOff() throws Exception {
        curate(List.of(record("Invoice for jane.doe@example.com")), List.of("--redact-pii", "false"));

        assertThat(Files.readString(dir.resolve("out/train.jsonl"))).contains("jane.doe@example.com");
    }

    @Test
    void dropsExactDuplicatesOfTheNormalisedUserTurns() throws Exception {
        List<ObjectNode> records = List.of(record("Parse invoice INV-1"), record("  parse   INVOICE\tinv-1 "),
                record("Parse invoice INV-1", r -> answer(r).put("content", "{\"total\": 13}")),
                record("Parse invoice INV-2"));

        assertThat(curate(records, List.of()).records().dropped()).containsExactly(Map.entry(DropReason.duplicate, 2L));
        assertThat(curate(records, List.of("--dedup", "none"), "none").records().kept()).isEqualTo(4);
    }

    @Test
    void nearDedupDropsAlmostTheSameTextButNotADifferentOne() throws Exception {
        String base = words(300, 0);
        String oneWordChanged = base.replaceFirst("w150 ", "changed ");
        String different = words(300, 1000);

        CurationResult exact = curate(List.of(record(base), record(oneWordChanged), record(different)), List.of(),
                "exact");
        CurationResult near = curate(List.of(record(base), record(oneWordChanged), record(different)),
                List.of("--dedup", "near"), "near");

        assertThat(exact.records().kept()).isEqualTo(3);
        assertThat(near.records().kept()).isEqualTo(2);
        assertThat(near.records().dropped()).containsExactly(Map.entry(DropReason.duplicate, 1L));
    }

    private static String words(int count, int first) {
        StringBuilder text = new StringBuilder();
        for (int i = first; i < first + count; i++) {
            text.append('w').append(i).append(' ');
        }
        return text.toString();
    }

    @Test
    void countsMalformedLinesAndOtherVersionsAndReadsOnAfterThem() throws Exception {
        List<Object> lines = List.of("not json", "[1, 2]", "", "   ", "{\"schemaVersion\": \"one\"}",
                record("Parse invoice INV-1", r -> r.put("schemaVersion", 2)), record("Parse invoice INV-2"),
                "{\"truncated\": ");

        CurationResult result = curate(lines, List.of());

        assertThat(result.records().read()).as("blank lines are not records").isEqualTo(6);
        assertThat(result.records().kept()).isEqualTo(1);
        assertThat(result.records().dropped()).containsExactly(Map.entry(DropReason.malformed, 3L),
                Map.entry(DropReason.otherSchemaVersion, 2L));
    }

    @Test
    void readsGzipAndDirectoriesRecursivelyAndKeepsReadingAfterATruncatedFile() throws Exception {
        Path in = dir.resolve("in");
        UsageLines.writeGzip(in.resolve("a/usage-router-0-1.jsonl.gz"), List.of(record("Parse invoice INV-1")));
        Path truncated = UsageLines.writeGzip(in.resolve("b/usage-router-1-1.jsonl.gz"),
                List.of(record("Parse invoice INV-2"), record("Parse invoice INV-3"), record("Parse invoice INV-4")));
        byte[] whole = Files.readAllBytes(truncated);
        Files.write(truncated, java.util.Arrays.copyOf(whole, whole.length - 12));
        UsageLines.write(in.resolve("b/usage-router-1-2.jsonl"), List.of(record("Parse invoice INV-5")));
        UsageLines.write(in.resolve("b/notes.txt"), List.of("not a usage file"));

        CurationResult result = Curation.run(options("--input", in.toString(), "--output", dir.resolve("out").toString(),
                "--eval-size", "0"), (lines, bytes) -> {
        });

        assertThat(result.inputs()).extracting(InputFile::path).containsExactly(
                in.resolve("a/usage-router-0-1.jsonl.gz").toString(), truncated.toString(),
                in.resolve("b/usage-router-1-2.jsonl").toString());
        assertThat(result.inputs().get(1).problem()).startsWith("truncated");
        assertThat(result.unreadableFiles()).isEqualTo(1);
        assertThat(result.records().kept()).as("the truncated file's whole lines count").isBetween(2L, 5L);
        assertThat(result.inputs().get(2).lines()).isEqualTo(1);
    }

    @Test
    void splitsDeterministicallyWithAnExactEvalSizeStratifiedByToolName() throws Exception {
        List<ObjectNode> records = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            int n = i;
            records.add(record("Request number " + i, r -> {
                if (n % 4 == 0) {
                    toolCall(r, "lookup_vendor", "{}");
                } else if (n % 4 == 1) {
                    toolCall(r, "extract_invoice", "{}");
                }
            }));
        }
        List<String> arguments = List.of("--eval-size", "100", "--validation-ratio", "0.2", "--seed", "7");

        CurationResult first = curate(records, arguments, "first");
        CurationResult second = curate(records, arguments, "second");
        CurationResult otherSeed = curate(records, List.of("--eval-size", "100", "--validation-ratio", "0.2",
                "--seed", "8"), "other-seed");

        assertThat(first.files()).extracting(OutputFile::sha256).isEqualTo(second.files().stream()
                .map(OutputFile::sha256).toList());
        assertThat(Files.readString(dir.resolve("other-seed/eval.jsonl")))
                .isNotEqualTo(Files.readString(dir.resolve("first/eval.jsonl")));
        assertThat(first.files()).extracting(OutputFile::name, OutputFile::examples).containsExactly(
                org.assertj.core.groups.Tuple.tuple("train.jsonl", 720L),
                org.assertj.core.groups.Tuple.tuple("validation.jsonl", 180L),
                org.assertj.core.groups.Tuple.tuple("eval.jsonl", 100L),
                org.assertj.core.groups.Tuple.tuple("manifest.json", 0L));
        Map<String, Long> evalTools = toolCounts(dir.resolve("first/eval.jsonl"));
        assertThat(evalTools).containsExactlyInAnyOrderEntriesOf(Map.of("none", 50L, "lookup_vendor", 25L,
                "extract_invoice", 25L));
        assertThat(toolCounts(dir.resolve("first/validation.jsonl"))).containsExactlyInAnyOrderEntriesOf(
                Map.of("none", 90L, "lookup_vendor", 45L, "extract_invoice", 45L));
        assertThat(first.strata().get("lookup_vendor")).containsExactly(180, 45, 25);
    }

    @Test
    void stratifiesByTaskAndSharesTheEvalSetByLargestRemainder() throws Exception {
        List<ObjectNode> records = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            String task = i < 20 ? "parsing" : i < 29 ? "triage" : "refunds";
            records.add(record("Request " + i, r -> r.put("task", task)));
        }

        CurationResult result = curate(records, List.of("--eval-size", "10", "--stratify-by", "task"));

        assertThat(result.strata().get("parsing")[2]).isEqualTo(7);
        assertThat(result.strata().get("triage")[2]).isEqualTo(3);
        assertThat(result.strata().get("refunds")[2]).isZero();
    }

    private static Map<String, Long> toolCounts(Path file) throws IOException {
        Map<String, Long> counts = new HashMap<>();
        for (String line : Files.readAllLines(file)) {
            JsonNode assistant = UsageLines.MAPPER.readTree(line).path("messages").get(2);
            counts.merge(assistant.path("tool_calls").path(0).path("function").path("name").asText("none"), 1L,
                    Long::sum);
        }
        return counts;
    }

    @Test
    void writesAManifestWithInputsOptionsCountsAndTheSha256OfEveryFile() throws Exception {
        CurationResult result = curate(List.of(record("Parse invoice INV-1"), record("Parse invoice INV-2"),
                record("Parse invoice INV-1")), List.of("--eval-size", "1"));

        JsonNode manifest = UsageLines.MAPPER.readTree(dir.resolve("out/manifest.json").toFile());
        assertThat(manifest.path("inputs").get(0).path("bytes").asLong())
                .isEqualTo(Files.size(dir.resolve("in/usage-test.jsonl")));
        assertThat(manifest.path("options").path("labels").asText()).isEqualTo("teacher");
        assertThat(manifest.path("records").toString()).isEqualTo("{\"read\":3,\"kept\":2,\"dropped\":{\"duplicate\":1}}");
        for (String set : List.of("train", "validation", "eval")) {
            JsonNode file = manifest.path("files").path(set);
            assertThat(file.path("sha256").asText()).as(set)
                    .isEqualTo(Curation.sha256(Files.readAllBytes(dir.resolve("out").resolve(file.path("name").asText()))));
        }
        assertThat(manifest.path("split").path("eval").asLong()).isEqualTo(1);
        assertThat(result.files().get(3).sha256()).isEqualTo(Curation.sha256(Files.readAllBytes(
                dir.resolve("out/manifest.json"))));
        try (Stream<Path> left = Files.list(dir.resolve("out"))) {
            assertThat(left.map(path -> path.getFileName().toString())).containsExactlyInAnyOrder("train.jsonl",
                    "validation.jsonl", "eval.jsonl", "manifest.json");
        }
    }

    @Test
    void refusesAnOutputThatHoldsADataSetAndLeavesItAlone() throws Exception {
        Path out = Files.createDirectories(dir.resolve("out"));
        Files.writeString(out.resolve("eval.jsonl"), "earlier\n");

        assertThatThrownBy(() -> curate(List.of(record("Parse invoice INV-1")), List.of()))
                .isInstanceOfSatisfying(CurationFailure.class,
                        failure -> assertThat(failure.reason()).isEqualTo(CurationFailure.Reason.OutputExists));
        assertThat(Files.readString(out.resolve("eval.jsonl"))).isEqualTo("earlier\n");
        assertThat(out.resolve("train.jsonl")).doesNotExist();
    }

    @Test
    void failsWithNoRecordsWhenNothingIsLeftAndWritesNothing() {
        assertThatThrownBy(() -> curate(List.of(record("Parse invoice INV-1", r -> r.put("target", "slm"))),
                List.of())).isInstanceOfSatisfying(CurationFailure.class, failure -> {
                    assertThat(failure.reason()).isEqualTo(CurationFailure.Reason.NoRecords);
                    assertThat(failure.records().dropped(DropReason.notTeacher)).isEqualTo(1);
                });
        assertThat(dir.resolve("out").toFile().list()).isEmpty();
    }

    @Test
    void failsWithTooFewRecordsWhenTheEvalSetWouldTakeThemAll() {
        assertThatThrownBy(() -> curate(List.of(record("Parse invoice INV-1"), record("Parse invoice INV-2")),
                List.of("--eval-size", "2"))).isInstanceOfSatisfying(CurationFailure.class,
                        failure -> assertThat(failure.reason()).isEqualTo(CurationFailure.Reason.TooFewRecords));
    }

    @Test
    void failsWithInputUnreadableForAMissingInput() {
        assertThatThrownBy(() -> Curation.run(options("--input", dir.resolve("missing").toString(), "--output",
                dir.resolve("out").toString()), (lines, bytes) -> {
                })).isInstanceOfSatisfying(CurationFailure.class, failure -> {
                    assertThat(failure.reason()).isEqualTo(CurationFailure.Reason.InputUnreadable);
                    assertThat(failure.reason().retryable()).isTrue();
                });
    }

    @Test
    void groupsTaskClustersBySystemPromptToolsAndResponseFormat() throws Exception {
        List<ObjectNode> records = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            records.add(record("Parse invoice " + i + " for jane@example.com, please extract every field of it"));
        }
        for (int i = 0; i < 3; i++) {
            records.add(record("Where is my order " + i + "?", r -> {
                r.putNull("task");
                ((ObjectNode) r.path("request").path("messages").get(0)).put("content",
                        "You are the shipping assistant. Today is 2026-11-" + (10 + r.hashCode() % 5) + ".");
                toolCall(r, "trackShipment", "{}");
            }));
        }
        records.add(record("Summarise this refund dispute", r -> {
            r.putNull("task");
            ((ObjectNode) r.path("request").path("messages").get(0)).put("content", "You are a helpful assistant "
                    + "that summarises customer disputes.");
            r.put("target", "general-slm");
        }));

        CurationResult result = curate(records, List.of());

        assertThat(result.clusters()).extracting(TaskCluster::records, TaskCluster::share, TaskCluster::suggestedTask,
                TaskCluster::tools).containsExactly(
                        org.assertj.core.groups.Tuple.tuple(6L, 0.6, "parsing", List.of()),
                        org.assertj.core.groups.Tuple.tuple(3L, 0.3, "track-shipment", List.of("trackShipment")),
                        org.assertj.core.groups.Tuple.tuple(1L, 0.1, "summarises-customer", List.of()));
        assertThat(result.clusters().get(0).example())
                .isEqualTo("Parse invoice 0 for [EMAIL], please extract every field of it");
        assertThat(result.clusters().get(0).fingerprint()).matches("[0-9a-f]{12}");
    }

    @Test
    void shortensClusterExamples() {
        String example = TaskClusters.example("x".repeat(500));

        assertThat(example).hasSize(TaskClusters.EXAMPLE_CHARS).endsWith("…");
    }

    private CurationResult curate(List<?> lines, List<String> arguments) throws Exception {
        return curate(lines, arguments, "out");
    }

    private CurationResult curate(List<?> lines, List<String> arguments, String output) throws Exception {
        Path input = dir.resolve("in/usage-test.jsonl");
        UsageLines.write(input, lines);
        List<String> all = new ArrayList<>(List.of("--input", input.toString(), "--output",
                dir.resolve(output).toString(), "--eval-size", "0"));
        all.addAll(arguments);
        return Curation.run(options(all.toArray(String[]::new)), (read, bytes) -> {
        });
    }

    private static CurationOptions options(String... arguments) {
        CurateArguments parsed = CurateArguments.parse(List.of(arguments));
        assertThat(parsed.problem()).isNull();
        return parsed.options();
    }
}
