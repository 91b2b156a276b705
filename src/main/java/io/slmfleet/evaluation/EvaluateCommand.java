package io.slmfleet.evaluation;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
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
import io.slmfleet.router.shadow.JudgeRubric;
import io.slmfleet.router.shadow.Verdict;
import io.slmfleet.router.table.OutputSchema;

/**
 * The offline {@code evaluate} command, the command an EvaluationJob's pod runs: asks every candidate every example
 * of a chat-format data set, scores each answer against the recorded reference with the router's
 * {@link AnswerScorer} (the verdicts of a shadow comparison), and prints a leaderboard with the delegation's
 * confidence bounds ({@link ConfidenceSequence}) and counts ({@link Comparisons}), each candidate's cost per request
 * and the recommendation (the cheapest that clears the gate) on stdout, progress on stderr, and with
 * {@code --summary-file} the {@link EvaluationSummary} line the EvaluationJob's reconciler reads back.
 * <p>
 * Exit codes: 0 evaluated (whatever the candidates scored; skipped lines are counted and told); 2 a failure running
 * again cannot fix (bad arguments, a missing API key, an empty data set or one without a usable example, an unusable
 * response schema); 1 anything a retry may fix (the data set or the schema cannot be read, the report or the summary
 * cannot be written). {@link EvaluationSummary#exitCode(String)} maps each failure reason to its code.
 */
public final class EvaluateCommand {

    static final int PROGRESS_SECONDS = 5;
    /** Connections are opened within this, or the call's timeout if shorter. */
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** Reads environment variables: the API keys. */
    private final Function<String, String> environment;

    public EvaluateCommand() {
        this(System::getenv);
    }

    /** @param environment the value of an environment variable, or null when it is not set (tests pass a map's get) */
    public EvaluateCommand(Function<String, String> environment) {
        this.environment = environment;
    }

    /**
     * The token counts of an answer's OpenAI {@code usage} object.
     *
     * @param input {@code usage.prompt_tokens}
     * @param output {@code usage.completion_tokens}
     */
    record Usage(long input, long output) {

        /** @return the usage, or null when the completion has none with both counts as whole numbers >= 0 */
        static Usage of(JsonNode completion) {
            JsonNode usage = completion == null ? null : completion.get("usage");
            if (usage == null || !usage.isObject()) {
                return null;
            }
            JsonNode input = usage.get("prompt_tokens");
            JsonNode output = usage.get("completion_tokens");
            if (input == null || output == null || !input.canConvertToExactIntegral() || !output.canConvertToExactIntegral()
                    || input.asLong() < 0 || output.asLong() < 0) {
                return null;
            }
            return new Usage(input.asLong(), output.asLong());
        }
    }

    /**
     * One example asked of one candidate.
     *
     * @param start {@link System#nanoTime()} when the request was sent
     * @param nanos from sending to the whole answer (or the failure)
     * @param usage the answer's token counts, or null
     */
    record Outcome(Example example, Candidate candidate, Verdict verdict, double score, long start, long nanos,
            Usage usage, String error) {

        boolean answered() {
            return verdict != Verdict.candidate_error;
        }
    }

    /** A failure that ends the command before or after the evaluation, with its summary reason. */
    private static final class Failure extends Exception {
        final String reason;

        Failure(String reason, String message) {
            super(message, null, false, false);
            this.reason = reason;
        }
    }

    public int run(List<String> arguments, PrintStream out, PrintStream err) {
        EvaluateArguments parsed = EvaluateArguments.parse(arguments);
        EvaluationSummary summary;
        try {
            summary = evaluate(parsed, out, err);
        } catch (Failure failure) {
            err.println("evaluate: " + failure.getMessage());
            if (EvaluationSummary.REASON_INVALID_ARGUMENTS.equals(failure.reason)) {
                err.print(EvaluateArguments.USAGE);
            }
            writeSummary(parsed.summaryFile(), EvaluationSummary.failed(failure.reason, failure.getMessage()), err);
            return EvaluationSummary.exitCode(failure.reason);
        }
        return writeSummary(parsed.summaryFile(), summary, err) ? 0 : 1;
    }

    /** @return false when the summary was asked for and cannot be written (told on stderr) */
    private static boolean writeSummary(Path file, EvaluationSummary summary, PrintStream err) {
        if (file == null) {
            return true;
        }
        try {
            Files.writeString(file, summary.toJson(), StandardCharsets.UTF_8);
            return true;
        } catch (IOException | RuntimeException e) {
            err.println("evaluate: cannot write the summary to " + file + ": " + e);
            return false;
        }
    }

    private EvaluationSummary evaluate(EvaluateArguments parsed, PrintStream out, PrintStream err) throws Failure {
        if (parsed.problem() != null) {
            throw new Failure(EvaluationSummary.REASON_INVALID_ARGUMENTS, parsed.problem());
        }
        Map<Candidate, String> authorizations = authorizations(parsed.candidates());
        String judgeAuthorization = parsed.judge() == null || parsed.judge().apiKeyEnv() == null ? null
                : authorization(parsed.judge().apiKeyEnv(), "--judge-api-key-env");
        OutputSchema schema = null;
        if (parsed.responseSchema() != null) {
            try {
                schema = OutputSchema.compile(MAPPER.readTree(parsed.responseSchema().toFile()));
            } catch (IOException e) {
                throw new Failure(EvaluationSummary.REASON_SCHEMA_UNREADABLE,
                        "cannot read the response schema " + parsed.responseSchema() + ": " + e);
            } catch (IllegalArgumentException e) {
                throw new Failure(EvaluationSummary.REASON_UNUSABLE_RESPONSE_SCHEMA,
                        "the response schema " + parsed.responseSchema() + " is unusable: " + e.getMessage());
            }
        }
        EvalDataset dataset;
        try {
            dataset = EvalDataset.read(parsed.dataset(), parsed.maxExamples());
        } catch (NoSuchFileException e) {
            throw new Failure(EvaluationSummary.REASON_DATASET_NOT_FOUND,
                    "the dataset " + parsed.dataset() + " does not exist");
        } catch (IOException e) {
            throw new Failure(EvaluationSummary.REASON_DATASET_UNREADABLE,
                    "cannot read the dataset " + parsed.dataset() + ": " + e);
        }
        if (dataset.lines() == 0) {
            throw new Failure(EvaluationSummary.REASON_EMPTY_DATASET, "the dataset " + parsed.dataset() + " is empty");
        }
        if (!dataset.skipped().isEmpty()) {
            err.println("evaluate: " + skipped(dataset, true));
        }
        if (dataset.examples().isEmpty()) {
            throw new Failure(EvaluationSummary.REASON_NO_USABLE_EXAMPLE, "no example of " + parsed.dataset()
                    + " can be evaluated: each needs messages ending with the reference assistant answer");
        }
        List<Outcome> outcomes = evaluate(parsed, dataset, schema, authorizations, judgeAuthorization, err);
        Board board = board(parsed, outcomes);
        out.print(leaderboard(parsed, dataset, board));
        if (parsed.report() != null) {
            try {
                writeReport(parsed.report(), dataset, outcomes);
            } catch (IOException e) {
                throw new Failure(EvaluationSummary.REASON_REPORT_UNWRITABLE,
                        "cannot write the report to " + parsed.report() + ": " + e);
            }
        }
        return summary(dataset, board);
    }

    /**
     * The Authorization header of each candidate with {@code --api-key-env}. The key is read once, here, and goes
     * nowhere but into that candidate's requests: never into a message (only the variable's name is told).
     */
    private Map<Candidate, String> authorizations(List<Candidate> candidates) throws Failure {
        Map<Candidate, String> headers = new HashMap<>();
        for (Candidate candidate : candidates) {
            if (candidate.apiKeyEnv() != null) {
                headers.put(candidate, authorization(candidate.apiKeyEnv(),
                        "--api-key-env of candidate " + candidate.name()));
            }
        }
        return headers;
    }

    /** @return "Bearer " and the key in the variable; @throws Failure (ApiKeyMissing) when it holds no usable key */
    private String authorization(String variable, String option) throws Failure {
        String key = environment.apply(variable);
        String where = "the environment variable " + variable + " (" + option + ")";
        if (key == null) {
            throw new Failure(EvaluationSummary.REASON_API_KEY_MISSING, where + " is not set");
        }
        // a Secret written with a trailing line break is common; a key itself never starts or ends with a blank
        key = key.strip();
        if (key.isEmpty()) {
            throw new Failure(EvaluationSummary.REASON_API_KEY_MISSING, where + " is empty");
        }
        // checked here: HttpRequest.Builder.header would refuse it with the value in the exception's message
        if (!key.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
            throw new Failure(EvaluationSummary.REASON_API_KEY_MISSING, where
                    + " holds characters an HTTP header cannot carry (control or non-ASCII): not a usable key");
        }
        return "Bearer " + key;
    }

    /**
     * What every call of a run shares.
     *
     * @param deadlines cut a call at its timeout (see {@link #call})
     * @param judge grades free-text answers, or null
     * @param judgeAuthorization the judge's Authorization header, or null
     */
    record Asking(ScheduledExecutorService deadlines, OutputSchema schema, double agreementThreshold,
            Duration timeout, EvaluateArguments.Judge judge, String judgeAuthorization) {
    }

    private static ExecutorService daemons(String name, int threads) {
        return Executors.newFixedThreadPool(threads, runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Disconnects its call when it fires, unless disarmed first: a read blocked on the socket then fails at once. */
    private static final class Deadline implements Runnable {
        private final HttpURLConnection connection;
        private final AtomicBoolean settled = new AtomicBoolean();

        Deadline(HttpURLConnection connection) {
            this.connection = connection;
        }

        @Override
        public void run() {
            if (settled.compareAndSet(false, true)) {
                connection.disconnect();
            }
        }

        /** @return whether it fired (the call was cut, or ended no earlier than the timeout) */
        boolean disarm() {
            return !settled.compareAndSet(false, true);
        }
    }

    /** Every example asked of every candidate, at most {@code concurrency} calls at once; in example, then candidate order. */
    private static List<Outcome> evaluate(EvaluateArguments parsed, EvalDataset dataset, OutputSchema schema,
            Map<Candidate, String> authorizations, String judgeAuthorization, PrintStream err) {
        Duration timeout = Duration.ofNanos((long) (parsed.timeoutSeconds() * 1e9));
        ExecutorService pool = daemons("evaluate", parsed.concurrency());
        ScheduledThreadPoolExecutor deadlines = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "evaluate-deadline");
            thread.setDaemon(true);
            return thread;
        });
        // a call that ends in time cancels its deadline: gone from the queue then, not kept for the timeout's length
        deadlines.setRemoveOnCancelPolicy(true);
        // The JDK keeps at most 5 idle connections per server for reuse, read once, when the first is put back: at a
        // higher --concurrency on one candidate the others would be closed after each call and opened again (a TLS
        // handshake each for an https candidate). Raised here unless set on the command line.
        if (System.getProperty("http.maxConnections") == null) {
            System.setProperty("http.maxConnections", String.valueOf(Math.max(5, parsed.concurrency())));
        }
        // Calls are never retried: left on, the JDK sends a POST a second time when a reused connection fails before
        // the answer (the server may have answered the first). Read once, when the JDK's HTTP client is first used.
        if (System.getProperty("sun.net.http.retryPost") == null) {
            System.setProperty("sun.net.http.retryPost", "false");
        }
        Asking asking = new Asking(deadlines, schema, parsed.agreementThreshold(), timeout, parsed.judge(),
                judgeAuthorization);
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
                    outcomes[index] = ask(asking, example, candidate, authorizations.get(candidate));
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
            deadlines.shutdownNow();
        }
        return List.of(outcomes);
    }

    /**
     * One call, cut at the timeout; a failed call is an error, an answer is scored as the router's shadow comparison
     * scores it: a free-text answer by the judge when there is one (its failures are judge_error, never a
     * disagreement).
     *
     * @param authorization the candidate's Authorization header, or null
     */
    static Outcome ask(Asking asking, Example example, Candidate candidate, String authorization) {
        ObjectNode body = MAPPER.createObjectNode();
        body.put("model", candidate.model() != null ? candidate.model()
                : example.model() != null ? example.model() : "default");
        body.set("messages", example.prompt());
        if (example.tools() != null) {
            body.set("tools", example.tools());
        }
        body.put("temperature", 0).put("stream", false);
        long start = System.nanoTime();
        Call call = call(asking, candidate.chatCompletions(), authorization, body);
        long nanos = System.nanoTime() - start;
        if (call.failure() != null) {
            return new Outcome(example, candidate, Verdict.candidate_error, Double.NaN, start, nanos, null,
                    call.failure());
        }
        JsonNode completion = call.completion();
        Answer answer = Answer.of(completion.get("choices"));
        AnswerScorer.Score score = AnswerScorer.score(example.reference(), answer, asking.schema());
        Verdict verdict = score.verdict(asking.agreementThreshold());
        Usage usage = Usage.of(completion);
        if (verdict == Verdict.reference_error) {
            return new Outcome(example, candidate, verdict, Double.NaN, start, nanos, usage, null);
        }
        if (asking.judge() == null || score.failure() != null || score.kind() != AnswerScorer.Kind.FREE_TEXT) {
            return new Outcome(example, candidate, verdict, score.score(), start, nanos, usage, null);
        }
        EvaluateArguments.Judge judge = asking.judge();
        Call judged = call(asking, judge.chatCompletions(), asking.judgeAuthorization(),
                JudgeRubric.request(judge.model(), example.prompt(), example.reference().content(), answer.content()));
        if (judged.failure() != null) {
            return new Outcome(example, candidate, Verdict.judge_error, Double.NaN, start, nanos, usage,
                    "judge " + judged.failure());
        }
        OptionalDouble grade = JudgeRubric.score(judged.completion());
        if (grade.isEmpty()) {
            return new Outcome(example, candidate, Verdict.judge_error, Double.NaN, start, nanos, usage,
                    "judge answered no grade 1-5");
        }
        double value = grade.getAsDouble();
        return new Outcome(example, candidate, value >= asking.agreementThreshold() ? Verdict.agree : Verdict.disagree,
                value, start, nanos, usage, null);
    }

    /**
     * @param completion the 2xx answer parsed; null when the call failed
     * @param failure the router's shadow-call result and what happened ({@code timeout: no answer within 300 ms}), or
     *        null
     */
    private record Call(JsonNode completion, String failure) {
    }

    /**
     * One POST of a chat completion on the asking thread, cut at the timeout.
     * <p>
     * A blocking {@link HttpURLConnection} (kept-alive connections reused), not {@code java.net.http.HttpClient}:
     * that client's exchanges run through chains of CompletableFutures over a selector thread and a worker pool, and
     * its {@code sendAsync} completes every response through CompletableFuture's default executor, which on a machine
     * with 2 cores or fewer starts a new thread per task. Measured on this 2-core machine (docs/evaluation.md#benchmark)
     * it took 1.5 to 2 ms of CPU a call, and the benchmark 1.5 times its ideal wall time. The body is buffered, not
     * streamed: in streaming mode the JDK checks every reused connection by a read that waits 1 ms, a millisecond
     * added to every call (it retries no POST either way: {@code sun.net.http.retryPost} is off, see
     * {@link #evaluate(EvaluateArguments, EvalDataset, OutputSchema, Map, String, PrintStream)}). Redirects are not
     * followed and no proxy is used (as before). The connect and read timeouts bound each step; the {@link Deadline}
     * bounds the whole call, the answer's body included, by disconnecting it.
     */
    private static Call call(Asking asking, URI url, String authorization, ObjectNode body) {
        byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
        long timeoutMillis = Math.max(1, asking.timeout().toMillis());
        HttpURLConnection connection;
        try {
            connection = (HttpURLConnection) url.toURL().openConnection(Proxy.NO_PROXY);
        } catch (IOException | IllegalArgumentException e) {
            return new Call(null, "error: " + e);
        }
        connection.setConnectTimeout((int) Math.min(timeoutMillis, CONNECT_TIMEOUT.toMillis()));
        // a backstop past the deadline, which cuts the call first and says so
        connection.setReadTimeout((int) Math.min(timeoutMillis + 1000, Integer.MAX_VALUE));
        connection.setInstanceFollowRedirects(false);
        connection.setUseCaches(false);
        connection.setDoOutput(true);
        connection.setRequestProperty("Content-Type", "application/json");
        connection.setRequestProperty("Accept", "application/json");
        if (authorization != null) {
            connection.setRequestProperty("Authorization", authorization);
        }
        Deadline deadline = new Deadline(connection);
        ScheduledFuture<?> timer = asking.deadlines().schedule(deadline, asking.timeout().toNanos(),
                TimeUnit.NANOSECONDS);
        int status;
        byte[] answer;
        IOException failure = null;
        try {
            connection.setRequestMethod("POST");
            try (OutputStream out = connection.getOutputStream()) {
                out.write(bytes);
            }
            status = connection.getResponseCode();
            // read to the end either way: a connection is reused only once its answer was read whole
            try (InputStream in = status >= 400 ? connection.getErrorStream() : connection.getInputStream()) {
                answer = in == null ? new byte[0] : in.readAllBytes();
            }
        } catch (IOException e) {
            failure = e;
            status = 0;
            answer = null;
        }
        boolean late = deadline.disarm();
        timer.cancel(false);
        if (late) {
            connection.disconnect();
            return new Call(null, "timeout: no answer within " + asking.timeout().toMillis() + " ms");
        }
        if (failure != null) {
            connection.disconnect();
            return new Call(null, (failure instanceof SocketTimeoutException ? "timeout: " : "error: ") + failure);
        }
        if (status / 100 != 2) {
            String result = status == 429 ? "status_429" : status >= 500 ? "status_5xx" : "status_4xx";
            return new Call(null, result + ": answered " + status);
        }
        try {
            // any JSON, as the router's shadow call takes it: one without choices scores as an empty answer
            JsonNode completion = MAPPER.readTree(answer);
            return new Call(completion == null ? MAPPER.missingNode() : completion, null);
        } catch (IOException e) {
            return new Call(null, "error: answered something that is not JSON");
        }
    }

    /**
     * A candidate's figures, as the delegation counts them, with its speed and cost.
     *
     * @param meanScore the mean score of the judged (agree and disagree) comparisons; NaN without one
     * @param answered calls that got an answer (any verdict but candidate_error)
     * @param withUsage answered calls whose answer carried usage
     * @param outputTokensPerSecond completion tokens over those calls' latency; NaN without usage
     * @param meanInFlight the time-average of the candidate's answered calls in flight, over the time it had one
     * @param costPerRequest USD; NaN when unknown, then {@code noCost} says why
     */
    record Figures(Comparisons comparisons, long referenceErrors, long judgeErrors, ConfidenceSequence.Interval agreement,
            ConfidenceSequence.Interval errorRate, ConfidenceSequence.Interval invalidRate, double p50Millis,
            double p95Millis, double meanScore, long answered, long withUsage, double outputTokensPerSecond,
            double meanInFlight, double costPerRequest, String noCost) {

        static Figures of(Candidate candidate, List<Outcome> outcomes, double confidence) {
            long agree = count(outcomes, Verdict.agree);
            long disagree = count(outcomes, Verdict.disagree);
            long invalid = count(outcomes, Verdict.candidate_invalid);
            long errors = count(outcomes, Verdict.candidate_error);
            Comparisons comparisons = new Comparisons(agree, disagree, invalid, errors);
            List<Outcome> answered = outcomes.stream().filter(Outcome::answered).toList();
            // latency of the calls that were answered (an error's time is the timeout, or nothing)
            double[] millis = answered.stream().mapToDouble(outcome -> outcome.nanos() / 1e6).sorted().toArray();
            double meanScore = outcomes.stream()
                    .filter(o -> o.verdict() == Verdict.agree || o.verdict() == Verdict.disagree)
                    .mapToDouble(Outcome::score).average().orElse(Double.NaN);
            List<Outcome> withUsage = answered.stream().filter(outcome -> outcome.usage() != null).toList();
            long outputTokens = withUsage.stream().mapToLong(outcome -> outcome.usage().output()).sum();
            long usageNanos = withUsage.stream().mapToLong(Outcome::nanos).sum();
            double tokensPerSecond = withUsage.isEmpty() || usageNanos == 0 ? Double.NaN : outputTokens / (usageNanos / 1e9);
            double meanInFlight = EvaluateCommand.meanInFlight(answered);
            double cost = Double.NaN;
            String noCost = null;
            if (candidate.gpuUsdPerHour() != null) {
                if (answered.isEmpty()) {
                    noCost = "no call was answered";
                } else {
                    // Cost per request = USD per hour / 3600 x mean answered latency (s) / mean answered calls in
                    // flight. By Little's law this is the price of the time the candidate was busy answering (at least
                    // one call in flight) divided by the answers: what a request costs at the load of this run (the
                    // --concurrency over the candidates), not at an idle or a saturated server's.
                    double meanLatencySeconds = Arrays.stream(millis).average().orElseThrow() / 1e3;
                    cost = candidate.gpuUsdPerHour() / 3600 * meanLatencySeconds / meanInFlight;
                }
            } else if (candidate.tokenPrice() != null) {
                if (withUsage.isEmpty()) {
                    noCost = answered.isEmpty() ? "no call was answered"
                            : "--token-price, but no answer carried usage (prompt_tokens, completion_tokens)";
                } else {
                    EvaluateArguments.TokenPrice price = candidate.tokenPrice();
                    cost = withUsage.stream().mapToDouble(outcome -> (outcome.usage().input() * price.inputPerMillion()
                            + outcome.usage().output() * price.outputPerMillion()) / 1e6).average().orElseThrow();
                }
            } else {
                noCost = "no --gpu-price or --token-price";
            }
            return new Figures(comparisons, count(outcomes, Verdict.reference_error),
                    count(outcomes, Verdict.judge_error), ConfidenceSequence.of(agree, comparisons.judged(), confidence),
                    ConfidenceSequence.of(errors, comparisons.total(), confidence),
                    ConfidenceSequence.of(invalid, comparisons.answered(), confidence),
                    percentile(millis, 0.50), percentile(millis, 0.95), meanScore, answered.size(), withUsage.size(),
                    tokensPerSecond, meanInFlight, cost, noCost);
        }

        double costPer1k() {
            return 1000 * costPerRequest;
        }

        boolean costKnown() {
            return !Double.isNaN(costPerRequest);
        }

        private static long count(List<Outcome> outcomes, Verdict verdict) {
            return outcomes.stream().filter(outcome -> outcome.verdict() == verdict).count();
        }
    }

    /**
     * The time-average of the number of calls in flight, over the time at least one was: the integral of the count
     * over time (the sum of the calls' latencies) divided by the length of the union of their intervals. Computed
     * after the run from each call's start and end (the same as integrating the count as calls come and go, without
     * a lock on the calls' path); NaN without a call.
     */
    static double meanInFlight(List<Outcome> calls) {
        if (calls.isEmpty()) {
            return Double.NaN;
        }
        long[][] intervals = calls.stream().map(call -> new long[] { call.start(), call.start() + call.nanos() })
                .sorted(Comparator.comparingLong(interval -> interval[0])).toArray(long[][]::new);
        double integral = 0;
        long busy = 0;
        long from = intervals[0][0];
        long to = intervals[0][1];
        for (long[] interval : intervals) {
            integral += interval[1] - interval[0];
            if (interval[0] > to) {
                busy += to - from;
                from = interval[0];
                to = interval[1];
            } else {
                to = Math.max(to, interval[1]);
            }
        }
        busy += to - from;
        return busy == 0 ? 1 : integral / busy;
    }

    /** Nearest rank; NaN when there is no value. */
    static double percentile(double[] sorted, double quantile) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(quantile * sorted.length);
        return sorted[Math.max(rank, 1) - 1];
    }

    /** The candidates' figures in the order given, and the recommendation. */
    record Board(List<Candidate> candidates, List<List<Outcome>> outcomes, List<Figures> figures,
            EvaluationSummary.Recommendation recommendation) {
    }

    static Board board(EvaluateArguments parsed, List<Outcome> outcomes) {
        List<List<Outcome>> own = new ArrayList<>();
        List<Figures> figures = new ArrayList<>();
        for (Candidate candidate : parsed.candidates()) {
            List<Outcome> its = outcomes.stream().filter(outcome -> outcome.candidate() == candidate).toList();
            own.add(its);
            figures.add(Figures.of(candidate, its, parsed.confidence()));
        }
        return new Board(parsed.candidates(), own, figures, recommend(parsed.candidates(), figures,
                parsed.minAgreement()));
    }

    /**
     * Among the candidates whose agreement lower bound clears the gate (with at least one judged comparison), the one
     * with the lowest cost per request; ties go to the higher lower bound, then to the one listed first. Candidates
     * without a known cost rank after every priced one, in the order listed.
     */
    static EvaluationSummary.Recommendation recommend(List<Candidate> candidates, List<Figures> figures,
            double minAgreement) {
        String gate = number(minAgreement);
        List<Integer> clearing = new ArrayList<>();
        for (int i = 0; i < candidates.size(); i++) {
            Figures f = figures.get(i);
            if (f.comparisons().judged() > 0 && f.agreement().lower() >= minAgreement) {
                clearing.add(i);
            }
        }
        if (clearing.isEmpty()) {
            List<String> why = new ArrayList<>();
            int best = -1;
            for (int i = 0; i < candidates.size(); i++) {
                Figures f = figures.get(i);
                if (f.comparisons().judged() > 0
                        && (best < 0 || f.agreement().lower() > figures.get(best).agreement().lower())) {
                    best = i;
                }
            }
            if (best >= 0) {
                why.add("best: " + candidates.get(best).name() + " at " + down(figures.get(best).agreement().lower()));
            }
            List<String> erred = new ArrayList<>();
            List<String> unjudged = new ArrayList<>();
            for (int i = 0; i < candidates.size(); i++) {
                Comparisons c = figures.get(i).comparisons();
                if (c.total() > 0 && c.candidateError() == c.total()) {
                    erred.add(candidates.get(i).name());
                } else if (c.judged() == 0) {
                    unjudged.add(candidates.get(i).name());
                }
            }
            if (!erred.isEmpty()) {
                why.add(String.join(", ", erred) + " erred on every call");
            }
            if (!unjudged.isEmpty()) {
                why.add(String.join(", ", unjudged) + (unjudged.size() == 1 ? " has" : " have")
                        + " no judged comparison (every answer invalid, every reference failing the schema, or every"
                        + " judge call failing)");
            }
            return new EvaluationSummary.Recommendation(null, "none: no candidate's agreement lower bound clears "
                    + gate + " (" + String.join("; ", why) + ")");
        }
        Comparator<Integer> byCost = Comparator.<Integer, Boolean>comparing(i -> !figures.get(i).costKnown())
                .thenComparing(i -> figures.get(i).costKnown() ? figures.get(i).costPerRequest() : 0)
                .thenComparing(i -> figures.get(i).costKnown() ? -figures.get(i).agreement().lower() : 0)
                .thenComparing(i -> i);
        List<Integer> ranked = clearing.stream().sorted(byCost).toList();
        int winner = ranked.get(0);
        Figures w = figures.get(winner);
        String name = candidates.get(winner).name();
        String reason;
        if (clearing.size() == 1) {
            reason = "the only candidate whose agreement lower bound (" + down(w.agreement().lower()) + ") clears "
                    + gate + (w.costKnown() ? ", at " + cost(w.costPer1k()) + " USD per 1k requests"
                            : "; its cost is unknown: " + w.noCost());
        } else if (w.costKnown()) {
            reason = "cheapest (" + cost(w.costPer1k()) + " USD per 1k requests) of " + clearing.size()
                    + " candidates whose agreement lower bound clears " + gate;
            int second = ranked.get(1);
            Figures s = figures.get(second);
            if (s.costKnown() && s.costPerRequest() == w.costPerRequest()) {
                reason += s.agreement().lower() < w.agreement().lower()
                        ? "; as cheap as " + candidates.get(second).name() + ", with the higher lower bound ("
                                + down(w.agreement().lower()) + ")"
                        : "; as cheap as " + candidates.get(second).name() + " and as sure, listed first";
            }
            List<String> unpriced = ranked.stream().filter(i -> !figures.get(i).costKnown())
                    .map(i -> candidates.get(i).name()).toList();
            if (!unpriced.isEmpty()) {
                reason += "; cost unknown for " + String.join(", ", unpriced);
            }
        } else {
            reason = "first listed of " + clearing.size() + " candidates whose agreement lower bound clears " + gate
                    + ", none with a known cost";
        }
        return new EvaluationSummary.Recommendation(name, reason);
    }

    static String leaderboard(EvaluateArguments parsed, EvalDataset dataset, Board board) {
        StringBuilder text = new StringBuilder();
        text.append(String.format(Locale.ROOT, "Evaluated %d examples of %s against %d candidates (%s); "
                + "agreement threshold %s, confidence %s%n", dataset.examples().size(), parsed.dataset(),
                parsed.candidates().size(), skipped(dataset, false), number(parsed.agreementThreshold()),
                number(parsed.confidence())));
        int width = Math.max(20, parsed.candidates().stream().mapToInt(c -> c.name().length()).max().orElse(0));
        String row = "%-" + width + "s %8s %6s %8s %7s %6s  %-23s %10s  %-17s %-17s %9s %9s %10s %10s%n";
        text.append(String.format(Locale.ROOT, row, "candidate", "examples", "agree", "disagree", "invalid", "error",
                "agreement [lower,upper]", "mean score", "error rate [upper]", "invalid [upper]", "p50 ms", "p95 ms",
                "out tok/s", "USD/1k"));
        List<String> notes = new ArrayList<>();
        List<String> unpriced = new ArrayList<>();
        for (int i = 0; i < board.candidates().size(); i++) {
            Candidate candidate = board.candidates().get(i);
            Figures figures = board.figures().get(i);
            Comparisons c = figures.comparisons();
            text.append(String.format(Locale.ROOT, row, candidate.name(), board.outcomes().get(i).size(), c.agree(),
                    c.disagree(), c.candidateInvalid(), c.candidateError(),
                    rate(figures.agreement()) + " [" + down(figures.agreement().lower()) + ","
                            + up(figures.agreement().upper()) + "]",
                    fixed(figures.meanScore(), 3),
                    rate(figures.errorRate()) + " [" + up(figures.errorRate().upper()) + "]",
                    rate(figures.invalidRate()) + " [" + up(figures.invalidRate().upper()) + "]",
                    fixed(figures.p50Millis(), 1), fixed(figures.p95Millis(), 1),
                    fixed(figures.outputTokensPerSecond(), 1),
                    figures.costKnown() ? cost(figures.costPer1k()) : "-"));
            if (figures.referenceErrors() > 0) {
                notes.add(String.format(Locale.ROOT, "  %s: %d references fail the response schema, not counted%n",
                        candidate.name(), figures.referenceErrors()));
            }
            if (figures.judgeErrors() > 0) {
                notes.add(String.format(Locale.ROOT, "  %s: %d answers the judge did not grade (it failed or answered "
                        + "no grade 1-5), not counted%n", candidate.name(), figures.judgeErrors()));
            }
            if (!candidate.priced()) {
                unpriced.add(candidate.name());
            } else if (!figures.costKnown()) {
                notes.add("  " + candidate.name() + ": cost unknown, " + figures.noCost() + System.lineSeparator());
            } else if (candidate.tokenPrice() != null && figures.withUsage() < figures.answered()) {
                notes.add(String.format(Locale.ROOT, "  %s: %d of %d answers carried no usage; its cost and out tok/s "
                        + "are of the %d that did%n", candidate.name(), figures.answered() - figures.withUsage(),
                        figures.answered(), figures.withUsage()));
            }
            if (candidate.gpuUsdPerHour() != null && figures.costKnown()) {
                notes.add(String.format(Locale.ROOT, "  %s: %s USD/h over %.2f answered calls in flight on average "
                        + "(at this run's --concurrency)%n", candidate.name(), number(candidate.gpuUsdPerHour()),
                        figures.meanInFlight()));
            }
        }
        notes.forEach(text::append);
        if (!unpriced.isEmpty() && unpriced.size() < board.candidates().size()) {
            text.append("  cost unknown (no --gpu-price or --token-price): ").append(String.join(", ", unpriced))
                    .append(System.lineSeparator());
        }
        EvaluationSummary.Recommendation recommendation = board.recommendation();
        text.append("Recommendation: ")
                .append(recommendation.candidate() == null ? "" : recommendation.candidate() + ", ")
                .append(recommendation.reason()).append(System.lineSeparator());
        return text.toString();
    }

    static EvaluationSummary summary(EvalDataset dataset, Board board) {
        List<EvaluationSummary.CandidateSummary> candidates = new ArrayList<>();
        for (int i = 0; i < board.candidates().size(); i++) {
            Figures f = board.figures().get(i);
            Comparisons c = f.comparisons();
            candidates.add(new EvaluationSummary.CandidateSummary(board.candidates().get(i).name(),
                    board.outcomes().get(i).size(), c.agree(), c.disagree(), c.candidateInvalid(), c.candidateError(),
                    f.referenceErrors(), f.agreement().estimate(), f.agreement().lower(), f.agreement().upper(),
                    f.meanScore(), f.invalidRate().estimate(), f.errorRate().estimate(), f.p50Millis(),
                    f.p95Millis(), f.outputTokensPerSecond(), f.costPer1k()));
        }
        return EvaluationSummary.succeeded(dataset.examples().size(), dataset.skippedCount(), candidates,
                board.recommendation());
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

    private static String fixed(double value, int decimals) {
        return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, "%." + decimals + "f", value);
    }

    /** USD: 2 decimals from 1 up, below that 3 significant digits and at least 3 decimals (0.420, 0.00347). */
    static String cost(double usd) {
        if (usd >= 1) {
            return String.format(Locale.ROOT, "%.2f", usd);
        }
        if (usd == 0) {
            return "0.000";
        }
        BigDecimal value = new BigDecimal(usd).round(new MathContext(3, RoundingMode.HALF_EVEN));
        return (value.scale() < 3 ? value.setScale(3) : value).toPlainString();
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
            if (outcome.usage() != null) {
                line.put("inputTokens", outcome.usage().input()).put("outputTokens", outcome.usage().output());
            }
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
