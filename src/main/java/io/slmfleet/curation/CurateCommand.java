package io.slmfleet.curation;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The offline {@code curate} command (and the CurationJob pod's entry point): parses the arguments, runs
 * {@link Curation}, prints a summary on stdout and a progress line on stderr every {@value #PROGRESS_SECONDS} s, and
 * writes the JSON summary to {@code --summary-file}, success or failure.
 * <p>
 * Exit codes: 0 succeeded; 2 a failure running again cannot fix (bad arguments, OutputExists, NoRecords,
 * TooFewRecords); 1 anything else (unreadable input, I/O errors), which a retry may fix.
 */
public final class CurateCommand {

    static final int PROGRESS_SECONDS = 5;

    private final Clock clock;

    public CurateCommand(Clock clock) {
        this.clock = clock;
    }

    public int run(List<String> arguments, PrintStream out, PrintStream err) {
        CurateArguments parsed = CurateArguments.parse(arguments);
        if (parsed.problem() != null) {
            err.println("curate: " + parsed.problem());
            err.print(CurateArguments.USAGE);
            return finish(parsed.summaryFile(), CurationSummary.failed(CurationFailure.Reason.InvalidArguments,
                    parsed.problem(), null), 2, err);
        }
        CurationOptions options = parsed.options();
        long started = clock.millis();
        long[] lastReport = { started };
        Curation.Progress progress = (lines, bytes) -> {
            long now = clock.millis();
            if (now - lastReport[0] >= PROGRESS_SECONDS * 1000L) {
                lastReport[0] = now;
                double seconds = (now - started) / 1000.0;
                err.printf(Locale.ROOT, "curate: %,d records read, %.1f MB, %.1f MB/s%n", lines, bytes / 1e6,
                        bytes / 1e6 / seconds);
            }
        };
        try {
            CurationResult result = Curation.run(options, progress);
            double seconds = (clock.millis() - started) / 1000.0;
            String message = message(result);
            out.print(humanSummary(result, options, seconds));
            return finish(parsed.summaryFile(), CurationSummary.succeeded(result, message), 0, err);
        } catch (CurationFailure failure) {
            err.println("curate: " + failure.reason() + ": " + failure.getMessage());
            if (failure.records() != null) {
                err.println("curate: " + counts(failure.records()));
            }
            return finish(parsed.summaryFile(), CurationSummary.failed(failure.reason(), failure.getMessage(),
                    failure.records()), failure.reason().retryable() ? 1 : 2, err);
        } catch (IOException | RuntimeException e) {
            // every failure carries a reason: the CurationJob's condition shows it, and it decides whether to retry
            CurationFailure.Reason reason = e instanceof IOException ? CurationFailure.Reason.IOError
                    : CurationFailure.Reason.Unexpected;
            String message = "curation failed: " + e;
            err.println("curate: " + reason + ": " + message);
            return finish(parsed.summaryFile(), CurationSummary.failed(reason, message, null), reason.retryable() ? 1 : 2,
                    err);
        }
    }

    private static String message(CurationResult result) {
        Map<String, Long> split = result.files().stream().filter(file -> !file.name().equals(Curation.MANIFEST))
                .collect(Collectors.toMap(OutputFile::name, OutputFile::examples));
        return String.format(Locale.ROOT, "kept %d of %d records: %d train, %d validation, %d eval",
                result.records().kept(), result.records().read(), split.get(Curation.TRAIN),
                split.get(Curation.VALIDATION), split.get(Curation.EVAL));
    }

    private static String humanSummary(CurationResult result, CurationOptions options, double seconds) {
        StringBuilder text = new StringBuilder();
        long bytes = result.inputs().stream().mapToLong(InputFile::bytes).sum();
        text.append(String.format(Locale.ROOT, "Read %,d records from %d files (%.1f MB) in %.1f s (%,.0f records/s)%n",
                result.records().read(), result.inputs().size(), bytes / 1e6, seconds,
                result.records().read() / Math.max(seconds, 0.001)));
        for (InputFile input : result.inputs()) {
            if (input.problem() != null) {
                text.append("  ").append(input.path()).append(": ").append(input.problem()).append('\n');
            }
        }
        text.append(counts(result.records())).append('\n');
        text.append(String.format(Locale.ROOT, "Split (by %s, seed %d):", options.stratifyBy(), options.seed()));
        for (OutputFile file : result.files()) {
            if (!file.name().equals(Curation.MANIFEST)) {
                text.append(String.format(Locale.ROOT, " %s %,d", file.name(), file.examples()));
            }
        }
        text.append('\n');
        text.append("Wrote to ").append(options.output()).append(":\n");
        for (OutputFile file : result.files()) {
            text.append(String.format(Locale.ROOT, "  %-17s %,14d bytes  sha256 %s%n", file.name(), file.bytes(),
                    file.sha256()));
        }
        text.append("Task clusters (kept records and records dropped as notTeacher), largest first:\n");
        for (TaskCluster cluster : result.clusters().subList(0, Math.min(10, result.clusters().size()))) {
            text.append(String.format(Locale.ROOT, "  %5.1f %% %,9d  %-20s %s tools=%s  \"%s\"%n", cluster.share() * 100,
                    cluster.records(), cluster.suggestedTask(), cluster.fingerprint(), cluster.tools(),
                    cluster.example()));
        }
        if (result.clusters().size() > 10) {
            text.append("  … ").append(result.clusters().size() - 10).append(" more in manifest.json\n");
        }
        return text.toString();
    }

    private static String counts(RecordCounts records) {
        String dropped = records.dropped().entrySet().stream()
                .map(entry -> String.format(Locale.ROOT, "%s %,d", entry.getKey(), entry.getValue()))
                .collect(Collectors.joining(", "));
        return String.format(Locale.ROOT, "Kept %,d of %,d records; dropped: %s", records.kept(), records.read(),
                dropped.isEmpty() ? "none" : dropped);
    }

    private static int finish(Path summaryFile, String summary, int exitCode, PrintStream err) {
        if (summaryFile != null) {
            try {
                Files.writeString(summaryFile, summary, StandardCharsets.UTF_8);
            } catch (IOException e) {
                err.println("curate: cannot write the summary to " + summaryFile + ": " + e.getMessage());
                return exitCode == 0 ? 1 : exitCode;
            }
        }
        return exitCode;
    }
}
