package io.slmfleet.curation;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * What to curate and how; the defaults are the CurationJob's.
 *
 * @param inputs usage files, or directories searched recursively for {@code usage-*.jsonl} and {@code usage-*.jsonl.gz}
 * @param output the directory the data set is written to; it must not hold one already
 * @param agentRoute only records of this AgentRoute ({@code name} or {@code namespace/name}); null: all
 * @param tasks only records of these tasks; empty: all (including unrouted records, whose task is null)
 * @param since only records at or after this time; null: no lower bound
 * @param until only records before this time; null: no upper bound
 * @param labels whose answers become the labels
 * @param dedup how duplicates are found
 * @param nearThreshold the Jaccard similarity of user-turn shingles from which {@link Dedup#near} drops a record
 * @param minChars records with fewer characters of user text are dropped
 * @param maxTokens records with more tokens are dropped ({@code usage.total_tokens}, else characters / 4)
 * @param requireValidOutput drop answers that failed the route's checks or hold tool calls with arguments that are not JSON
 * @param redactPii redact the written examples with {@link io.slmfleet.pii.PiiRedactor} (a second pass)
 * @param evalSize examples in the evaluation set
 * @param validationRatio the share of the remaining examples held out for validation
 * @param stratifyBy what the split keeps in proportion
 * @param seed decides which examples go to which set
 */
public record CurationOptions(List<Path> inputs, Path output, String agentRoute, Set<String> tasks, Instant since,
        Instant until, Labels labels, Dedup dedup, double nearThreshold, int minChars, int maxTokens,
        boolean requireValidOutput, boolean redactPii, int evalSize, double validationRatio, StratifyBy stratifyBy,
        long seed) {

    public enum Labels {
        /** Only answers of the fallback LLM (target {@code fallback}): distillation from the teacher. */
        teacher,
        /** Any answer that passed the route's checks (outcome {@code ok}). */
        accepted
    }

    public enum Dedup {
        none,
        /** Same user turns after lower-casing and collapsing whitespace. */
        exact,
        /** Exact, and MinHash/LSH on word shingles of the user turns. */
        near
    }

    public enum StratifyBy {
        /** The first tool the answer calls, or {@code none}. */
        toolName,
        /** The record's task, or {@code none} for unrouted requests. */
        task
    }

    public static final double DEFAULT_NEAR_THRESHOLD = 0.9;

    /** The CurationJob's defaults for everything but the inputs and the output. */
    public static CurationOptions defaults(List<Path> inputs, Path output) {
        return new CurationOptions(inputs, output, null, Set.of(), null, null, Labels.teacher, Dedup.exact,
                DEFAULT_NEAR_THRESHOLD, 1, 8192, true, true, 200, 0.1, StratifyBy.toolName, 42);
    }

    public CurationOptions {
        inputs = List.copyOf(inputs);
        tasks = Set.copyOf(tasks);
    }

    /** The first problem with these options, or null. */
    public String problem() {
        if (inputs.isEmpty()) {
            return "no input: give at least one --input";
        }
        if (output == null) {
            return "no output directory: give --output";
        }
        if (since != null && until != null && !since.isBefore(until)) {
            return "the time window is empty: since " + since + " is not before until " + until;
        }
        if (!(nearThreshold > 0 && nearThreshold < 1)) {
            return "near-threshold must be between 0 and 1 (exclusive), not " + nearThreshold;
        }
        if (minChars < 0 || maxTokens < 1) {
            return "min-chars must be 0 or more and max-tokens 1 or more";
        }
        if (evalSize < 0) {
            return "eval-size must be 0 or more, not " + evalSize;
        }
        if (!(validationRatio >= 0 && validationRatio < 1)) {
            return "validation-ratio must be at least 0 and below 1, not " + validationRatio;
        }
        return null;
    }
}
