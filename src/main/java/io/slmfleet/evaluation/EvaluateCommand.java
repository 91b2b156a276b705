package io.slmfleet.evaluation;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.slmfleet.delegation.Comparisons;
import io.slmfleet.delegation.ConfidenceSequence;
import io.slmfleet.evaluation.EvaluateArguments.Candidate;
import io.slmfleet.evaluation.EvalDataset.Example;
import io.slmfleet.router.shadow.Answer;
import io.slmfleet.router.shadow.AnswerScorer;
import io.slmfleet.router.shadow.Verdict;
import io.slmfleet.router.table.OutputSchema;

/**
 * The offline {@code evaluate} command, the first half of issue 18's EvaluationJob: asks every candidate every example
 * of a chat-format data set, scores each answer against the recorded reference with the router's
 * {@link AnswerScorer} (the verdicts of a shadow comparison), and prints a leaderboard with the delegation's
 * confidence bounds ({@link ConfidenceSequence}) and counts ({@link Comparisons}) on stdout, progress on stderr.
 * <p>
 * Exit codes: 0 evaluated (whatever the candidates scored; skipped lines are counted and told); 2 a failure running
 * again cannot fix (bad arguments, an empty data set or one without a usable example, an unusable response schema);
 * 1 anything a retry may fix (the data set or the schema cannot be read, the report cannot be written).
 */
public final class EvaluateCommand {

    static final int PROGRESS_SECONDS = 5;
    /** Connections are opened within this, or the call's timeout if shorter. */
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** One example asked of one candidate. */
    record Outcome(Example example, Candidate candidate, Verdict verdict, double score, long nanos, String error) {
    }

    public int run(List<String> arguments, PrintStream out, PrintStream err) {
        EvaluateArguments parsed = EvaluateArguments.parse(arguments);
        if (parsed.problem() != null) {
            err.println("evaluate: " + parsed.problem());
            err.print(EvaluateArguments.USAGE);
            return 2;
        }
        OutputSchema schema = null;
        if (parsed.responseSchema() != null) {
            try {
                schema = OutputSchema.compile(MAPPER.readTree(parsed.responseSchema().toFile()));
            } catch (IOException e) {
                err.println("evaluate: cannot read the response schema " + parsed.responseSchema() + ": " + e);
                return 1;
            } catch (IllegalArgumentException e) {
                err.println("evaluate: the response schema " + parsed.responseSchema() + " is unusable: "
                        + e.getMessage());
                return 2;
            }
        }
        EvalDataset dataset;
        try {
            dataset = EvalDataset.read(parsed.dataset(), parsed.maxExamples());
        } catch (NoSuchFileException e) {
            err.println("evaluate: the dataset " + parsed.dataset() + " does not exist");
            return 1;
        } catch (IOException e) {
            err.println("evaluate: cannot read the dataset " + parsed.dataset() + ": " + e);
            return 1;
        }
        if (dataset.lines() == 0) {
            err.println("evaluate: the dataset " + parsed.dataset() + " is empty");
            return 2;
        }
        if (!dataset.skipped().isEmpty()) {
            err.println("evaluate: " + skipped(dataset, true));
        }
        if (dataset.examples().isEmpty()) {
            err.println("evaluate: no example of " + parsed.dataset() + " can be evaluated: each needs messages "
                    + "ending with the reference assistant answer");
            return 2;
        }
        List<Outcome> outcomes = evaluate(parsed, dataset, schema, err);
        out.print(leaderboard(parsed, dataset, outcomes));
        if (parsed.report() != null) {
            try {
                writeReport(parsed.report(), dataset, outcomes);
            } catch (IOException e) {
                err.println("evaluate: cannot write the report to " + parsed.report() + ": " + e);
                return 1;
            }
        }
        return 0;
    }

    /** Every example asked of every candidate, at most {@code concurrency} calls at once; in example, then candidate order. */
    private static List<Outcome> evaluate(EvaluateArguments parsed, EvalDataset dataset, OutputSchema schema,
            PrintStream err) {
        Duration timeout = Duration.ofNanos((long) (parsed.timeoutSeconds() * 1e9));
        ExecutorService pool = Executors.newFixedThreadPool(parsed.concurrency(), runnable -> {
            Thread thread = new Thread(runnable, "evaluate");
            thread.setDaemon(true);
            return thread;
        });
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(timeout.compareTo(CONNECT_TIMEOUT) < 0 ? timeout : CONNECT_TIMEOUT).build();
        List<Candidate> candidates = parsed.candidates();
        int total = dataset.examples().size() * candidates.size();
        Outcome[] outcomes = new Outcome[total];
        ExecutorCompletionService<Integer> done = new ExecutorCompletionService<>(pool);
        try {
            for (int i = 0; i < total; i++) {
                int index = i;
                Example example = dataset.examples().get(i / candidates.size());
                Candidate candidate = candidates.get(i % candidates.size());
                done.submit(() -> {
                    outcomes[index] = ask(client, example, candidate, schema, parsed.agreementThreshold(), timeout);
                    return index;
                });
            }
            long started = System.nanoTime();
            long lastReport = started;
            for (int finished = 1; finished <= total; finished++) {
                done.take().get();
                long now = System.nanoTime();
                if (now - lastReport >= PROGRESS_SECONDS * 1_000_000_000L || finished == total) {
                    lastReport = now;
                    err.printf(Locale.ROOT, "evaluate: %d of %d calls done (%.0f %%), %.1f s%n", finished, total,
                            100.0 * finished / total, (now - started) / 1e9);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            // ask() turns every call's failure into an outcome: this is a bug
            throw new IllegalStateException("an evaluation failed", e.getCause());
        } finally {
            pool.shutdownNow();
        }
        return List.of(outcomes);
    }

    /** One call, cut at the timeout; a failed call is an error, an answer is scored as the router's shadow comparison scores it. */
    static Outcome ask(HttpClient client, Example example, Candidate candidate, OutputSchema schema,
            double agreementThreshold, Duration timeout) {
        ObjectNode body = MAPPER.createObjectNode();
        body.put("model", candidate.model() != null ? candidate.model()
                : example.model() != null ? example.model() : "default");
        body.set("messages", example.prompt());
        if (example.tools() != null) {
            body.set("tools", example.tools());
        }
        body.put("temperature", 0).put("stream", false);
        HttpRequest request = HttpRequest.newBuilder(candidate.chatCompletions()).timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8)).build();
        long start = System.nanoTime();
        CompletableFuture<HttpResponse<byte[]>> call = client.sendAsync(request,
                HttpResponse.BodyHandlers.ofByteArray());
        HttpResponse<byte[]> response;
        try {
            // the request's timeout ends at the response headers; this one covers the body too
            response = call.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            call.cancel(true);
            return error(example, candidate, start, "timeout", "no answer within " + timeout.toMillis() + " ms");
        } catch (ExecutionException e) {
            boolean timedOut = e.getCause() instanceof HttpTimeoutException;
            return error(example, candidate, start, timedOut ? "timeout" : "error", String.valueOf(e.getCause()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            call.cancel(true);
            return error(example, candidate, start, "error", "interrupted");
        }
        long nanos = System.nanoTime() - start;
        int status = response.statusCode();
        if (status / 100 != 2) {
            String result = status == 429 ? "status_429" : status >= 500 ? "status_5xx" : "status_4xx";
            return new Outcome(example, candidate, Verdict.candidate_error, Double.NaN, nanos,
                    result + ": answered " + status);
        }
        JsonNode completion;
        try {
            completion = MAPPER.readTree(response.body());
        } catch (IOException e) {
            return new Outcome(example, candidate, Verdict.candidate_error, Double.NaN, nanos,
                    "error: answered something that is not JSON");
        }
        AnswerScorer.Score score = AnswerScorer.score(example.reference(),
                Answer.of(completion == null ? null : completion.get("choices")), schema);
        Verdict verdict = score.verdict(agreementThreshold);
        return new Outcome(example, candidate, verdict, verdict == Verdict.reference_error ? Double.NaN : score.score(),
                nanos, null);
    }

    private static Outcome error(Example example, Candidate candidate, long start, String result, String message) {
        return new Outcome(example, candidate, Verdict.candidate_error, Double.NaN, System.nanoTime() - start,
                result + ": " + message);
    }

    /** A candidate's figures, as the delegation counts them. */
    record Figures(Comparisons comparisons, long referenceErrors, ConfidenceSequence.Interval agreement,
            ConfidenceSequence.Interval errorRate, ConfidenceSequence.Interval invalidRate, double p50Millis,
            double p95Millis) {

        static Figures of(List<Outcome> outcomes, double confidence) {
            long agree = count(outcomes, Verdict.agree);
            long disagree = count(outcomes, Verdict.disagree);
            long invalid = count(outcomes, Verdict.candidate_invalid);
            long errors = count(outcomes, Verdict.candidate_error);
            Comparisons comparisons = new Comparisons(agree, disagree, invalid, errors);
            // latency of the calls that were answered (an error's time is the timeout, or nothing)
            double[] millis = outcomes.stream().filter(outcome -> outcome.verdict() != Verdict.candidate_error)
                    .mapToDouble(outcome -> outcome.nanos() / 1e6).sorted().toArray();
            return new Figures(comparisons, count(outcomes, Verdict.reference_error),
                    ConfidenceSequence.of(agree, comparisons.judged(), confidence),
                    ConfidenceSequence.of(errors, comparisons.total(), confidence),
                    ConfidenceSequence.of(invalid, comparisons.answered(), confidence),
                    percentile(millis, 0.50), percentile(millis, 0.95));
        }

        private static long count(List<Outcome> outcomes, Verdict verdict) {
            return outcomes.stream().filter(outcome -> outcome.verdict() == verdict).count();
        }
    }

    /** Nearest rank; NaN when there is no value. */
    static double percentile(double[] sorted, double quantile) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(quantile * sorted.length);
        return sorted[Math.max(rank, 1) - 1];
    }

    static String leaderboard(EvaluateArguments parsed, EvalDataset dataset, List<Outcome> outcomes) {
        StringBuilder text = new StringBuilder();
        text.append(String.format(Locale.ROOT, "Evaluated %d examples of %s against %d candidates (%s); "
                + "agreement threshold %s, confidence %s%n", dataset.examples().size(), parsed.dataset(),
                parsed.candidates().size(), skipped(dataset, false), number(parsed.agreementThreshold()),
                number(parsed.confidence())));
        text.append(String.format(Locale.ROOT, "%-20s %8s %6s %8s %7s %6s  %-23s %-17s %-17s %9s %9s%n", "candidate",
                "examples", "agree", "disagree", "invalid", "error", "agreement [lower,upper]", "error rate [upper]",
                "invalid [upper]", "p50 ms", "p95 ms"));
        String recommended = null;
        double recommendedLower = 0;
        for (Candidate candidate : parsed.candidates()) {
            List<Outcome> own = outcomes.stream().filter(outcome -> outcome.candidate() == candidate).toList();
            Figures figures = Figures.of(own, parsed.confidence());
            Comparisons c = figures.comparisons();
            text.append(String.format(Locale.ROOT, "%-20s %8d %6d %8d %7d %6d  %-23s %-17s %-17s %9s %9s%n",
                    candidate.name(), own.size(), c.agree(), c.disagree(), c.candidateInvalid(), c.candidateError(),
                    rate(figures.agreement()) + " [" + down(figures.agreement().lower()) + ","
                            + up(figures.agreement().upper()) + "]",
                    rate(figures.errorRate()) + " [" + up(figures.errorRate().upper()) + "]",
                    rate(figures.invalidRate()) + " [" + up(figures.invalidRate().upper()) + "]",
                    millis(figures.p50Millis()), millis(figures.p95Millis())));
            if (figures.referenceErrors() > 0) {
                text.append(String.format(Locale.ROOT, "  %s: %d references fail the response schema, not counted%n",
                        candidate.name(), figures.referenceErrors()));
            }
            if (recommended == null && c.judged() > 0 && figures.agreement().lower() >= parsed.minAgreement()) {
                recommended = candidate.name();
                recommendedLower = figures.agreement().lower();
            }
        }
        if (recommended != null) {
            text.append(String.format(Locale.ROOT, "Recommendation: %s, the first listed whose agreement lower bound "
                    + "(%s) clears --min-agreement %s (no prices yet: the EvaluationJob will rank by cost)%n",
                    recommended, down(recommendedLower), number(parsed.minAgreement())));
        } else {
            text.append(String.format(Locale.ROOT, "Recommendation: none, no candidate's agreement lower bound clears "
                    + "--min-agreement %s%n", number(parsed.minAgreement())));
        }
        return text.toString();
    }

    private static String skipped(EvalDataset dataset, boolean withLines) {
        if (dataset.skipped().isEmpty()) {
            return "0 lines skipped";
        }
        return dataset.skippedCount() + " lines skipped: " + dataset.skipped().entrySet().stream()
                .map(entry -> entry.getKey() + " " + entry.getValue().size()
                        + (withLines ? (entry.getValue().size() == 1 ? " (line " : " (lines ") + lines(entry.getValue()) + ")"
                                : ""))
                .collect(Collectors.joining(", "));
    }

    private static String lines(List<Integer> numbers) {
        String shown = numbers.stream().limit(10).map(String::valueOf).collect(Collectors.joining(", "));
        return numbers.size() > 10 ? shown + ", …" : shown;
    }

    private static String rate(ConfidenceSequence.Interval interval) {
        return Double.isNaN(interval.estimate()) ? "-" : String.format(Locale.ROOT, "%.3f", interval.estimate());
    }

    /** Bounds are cut outwards to 3 decimals, as the delegation's status shows them: never narrower than computed. */
    static String down(double value) {
        return new BigDecimal(value).setScale(3, RoundingMode.FLOOR).toPlainString();
    }

    static String up(double value) {
        return new BigDecimal(value).setScale(3, RoundingMode.CEILING).toPlainString();
    }

    private static String millis(double value) {
        return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, "%.1f", value);
    }

    private static String number(double value) {
        return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }

    private static void writeReport(Path report, EvalDataset dataset, List<Outcome> outcomes) throws IOException {
        List<ObjectNode> lines = new ArrayList<>();
        for (Map.Entry<String, List<Integer>> skipped : dataset.skipped().entrySet()) {
            for (int line : skipped.getValue()) {
                lines.add(MAPPER.createObjectNode().put("line", line).put("skipped", skipped.getKey()));
            }
        }
        for (Outcome outcome : outcomes) {
            ObjectNode line = MAPPER.createObjectNode().put("line", outcome.example().line())
                    .put("candidate", outcome.candidate().name()).put("verdict", outcome.verdict().name());
            if (Double.isNaN(outcome.score())) {
                line.putNull("score");
            } else {
                line.put("score", outcome.score());
            }
            line.put("latencyMs", Math.round(outcome.nanos() / 1e4) / 100.0);
            if (outcome.error() != null) {
                line.put("error", outcome.error());
            }
            lines.add(line);
        }
        lines.sort((a, b) -> Integer.compare(a.get("line").asInt(), b.get("line").asInt()));
        try (BufferedWriter writer = Files.newBufferedWriter(report, StandardCharsets.UTF_8)) {
            for (ObjectNode line : lines) {
                writer.write(line.toString());
                writer.write('\n');
            }
        }
    }
}
