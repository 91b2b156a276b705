package io.slmfleet.curation;

import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import io.slmfleet.common.CommandLineOptions;

/**
 * The {@code curate} command line; the CurationJob's pod passes the same arguments, so the names are a contract (see
 * docs/curation.md). Every option takes a value, as {@code --name value} or {@code --name=value}.
 *
 * @param options what to curate; null when the arguments are wrong
 * @param summaryFile where to write the JSON summary ({@code --summary-file}); null: none
 * @param problem what is wrong with the arguments; null when nothing is
 */
public record CurateArguments(CurationOptions options, Path summaryFile, String problem) {

    public static final String USAGE = """
            usage: curate --input PATH [--input PATH ...] --output DIR [options]
              --agent-route NAME          only this AgentRoute's records
              --task NAME                 only this task's records (repeatable)
              --since RFC3339             only records at or after this time
              --until RFC3339             only records before this time
              --labels teacher|accepted   teacher (default): the fallback LLM's answers; accepted: any answer with outcome ok
              --dedup none|exact|near     default exact
              --near-threshold 0.9        Jaccard similarity for --dedup near
              --min-chars 1               drop records with less user text
              --max-tokens 8192           drop records with more tokens
              --require-valid-output true|false   default true
              --redact-pii true|false     default true
              --eval-size 200             examples in eval.jsonl
              --validation-ratio 0.1      share of the rest in validation.jsonl
              --stratify-by toolName|task default toolName
              --seed 42
              --summary-file PATH         also write a JSON summary (at most 4096 bytes) there
            """;

    public static CurateArguments parse(List<String> arguments) {
        Path summaryFile = null;
        List<Path> inputs = new ArrayList<>();
        Path output = null;
        CurationOptions defaults = CurationOptions.defaults(List.of(), null);
        String agentRoute = null;
        Set<String> tasks = new LinkedHashSet<>();
        Instant since = null;
        Instant until = null;
        CurationOptions.Labels labels = defaults.labels();
        CurationOptions.Dedup dedup = defaults.dedup();
        double nearThreshold = defaults.nearThreshold();
        int minChars = defaults.minChars();
        int maxTokens = defaults.maxTokens();
        boolean requireValidOutput = defaults.requireValidOutput();
        boolean redactPii = defaults.redactPii();
        int evalSize = defaults.evalSize();
        double validationRatio = defaults.validationRatio();
        CurationOptions.StratifyBy stratifyBy = defaults.stratifyBy();
        long seed = defaults.seed();
        String problem = null;
        CommandLineOptions split = CommandLineOptions.split(arguments);
        for (CommandLineOptions.Option option : split.options()) {
            if (problem != null) {
                break;
            }
            String name = option.name();
            String value = option.value();
            try {
                switch (name) {
                    case "--input" -> inputs.add(Path.of(value));
                    case "--output" -> output = Path.of(value);
                    case "--agent-route" -> agentRoute = value;
                    case "--task" -> tasks.add(value);
                    case "--since" -> since = Instant.parse(value);
                    case "--until" -> until = Instant.parse(value);
                    case "--labels" -> labels = CurationOptions.Labels.valueOf(value);
                    case "--dedup" -> dedup = CurationOptions.Dedup.valueOf(value);
                    case "--near-threshold" -> nearThreshold = Double.parseDouble(value);
                    case "--min-chars" -> minChars = Integer.parseInt(value);
                    case "--max-tokens" -> maxTokens = Integer.parseInt(value);
                    case "--require-valid-output" -> requireValidOutput = bool(value);
                    case "--redact-pii" -> redactPii = bool(value);
                    case "--eval-size" -> evalSize = Integer.parseInt(value);
                    case "--validation-ratio" -> validationRatio = Double.parseDouble(value);
                    case "--stratify-by" -> stratifyBy = CurationOptions.StratifyBy.valueOf(value);
                    case "--seed" -> seed = Long.parseLong(value);
                    case "--summary-file" -> summaryFile = Path.of(value);
                    default -> problem = "unknown option " + name;
                }
            } catch (IllegalArgumentException | DateTimeParseException e) {
                problem = "invalid value for " + name + ": " + value;
            }
        }
        if (problem == null) {
            problem = split.problem();
        }
        if (problem != null) {
            // the pod's summary tells what was wrong even when the mistake came before --summary-file
            int summaryAt = arguments.lastIndexOf("--summary-file");
            if (summaryFile == null && summaryAt >= 0 && summaryAt + 1 < arguments.size()) {
                summaryFile = Path.of(arguments.get(summaryAt + 1));
            }
            return new CurateArguments(null, summaryFile, problem);
        }
        CurationOptions options = new CurationOptions(inputs, output, agentRoute, tasks, since, until, labels, dedup,
                nearThreshold, minChars, maxTokens, requireValidOutput, redactPii, evalSize, validationRatio, stratifyBy,
                seed);
        return new CurateArguments(options.problem() == null ? options : null, summaryFile, options.problem());
    }

    private static boolean bool(String value) {
        return switch (value) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("not true or false: " + value);
        };
    }
}
