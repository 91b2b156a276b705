package io.slmfleet.router;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.slmfleet.router.capture.UsageCapture;
import io.slmfleet.router.shadow.ShadowComparisons;
import io.slmfleet.router.shadow.Verdict;
import io.slmfleet.routing.RoutingTable.FallbackReason;

/**
 * The router's Prometheus metrics. Label values come only from the routing table (tasks, target labels), from the
 * fixed {@link Outcome} and {@link FallbackReason} sets, or are "unknown"/"none"/"fallback": a caller cannot grow the
 * number of series by sending new task names. Meters are cached, so a request costs a map lookup per meter.
 */
public final class RouterMetrics implements UsageCapture.Listener, ShadowComparisons.Listener {

    public static final String UNKNOWN = "unknown";
    public static final String NONE = "none";

    /** How a request ended, as the caller saw it. */
    public enum Outcome {
        /** 2xx from a target or the fallback. */
        ok,
        /** 2xx whose output failed the response schema, delivered because the fallback does not cover it. */
        invalid_output,
        /** The router refused the request: bad JSON, missing field, body too large, unknown task. */
        bad_request,
        unauthorized,
        /** A target or the fallback answered 4xx (other than 429), passed through. */
        upstream_rejected,
        /** No target or fallback could answer: 502/503. */
        error,
        /** No answer in time: 504. */
        timeout,
        /** The caller went away first. */
        client_closed,
        /** A stream that had started broke off. */
        stream_broken
    }

    private static final Duration[] LATENCY_BUCKETS = {
        Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
        Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
        Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30),
        Duration.ofSeconds(60), Duration.ofSeconds(120) };

    private record RequestKey(String route, String target, Outcome outcome) {
    }

    private record TokenKey(String route, String target, String kind) {
    }

    private record AttemptKey(String route, String target, String result) {
    }

    private record FallbackKey(String route, FallbackReason reason) {
    }

    private record ComparisonKey(String route, String candidate, Verdict verdict) {
    }

    private record ScoreKey(String route, String candidate) {
    }

    /** Comparison scores are in [0, 1]; tenths resolve an agreement threshold such as 0.9. */
    private static final double[] SCORE_BUCKETS = { 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 1.0 };

    private final MeterRegistry registry;
    private final ConcurrentMap<RequestKey, Timer> requests = new ConcurrentHashMap<>();
    private final ConcurrentMap<TokenKey, Counter> tokens = new ConcurrentHashMap<>();
    private final ConcurrentMap<AttemptKey, Counter> attempts = new ConcurrentHashMap<>();
    private final ConcurrentMap<FallbackKey, Counter> fallbacks = new ConcurrentHashMap<>();
    private final ConcurrentMap<ComparisonKey, Counter> comparisons = new ConcurrentHashMap<>();
    private final ConcurrentMap<ScoreKey, DistributionSummary> scores = new ConcurrentHashMap<>();
    private final ConcurrentMap<AttemptKey, Timer> shadowCalls = new ConcurrentHashMap<>();
    private final ConcurrentMap<TokenKey, Counter> shadowTokens = new ConcurrentHashMap<>();
    private final Counter tableLoaded;
    private final Counter tableRejected;
    private final Counter captureWritten;
    private final Counter captureDropped;
    private final Counter captureFailed;

    public RouterMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.tableLoaded = tableReloads(registry, "loaded");
        this.tableRejected = tableReloads(registry, "rejected");
        this.captureWritten = captureRecords(registry, "written");
        this.captureDropped = captureRecords(registry, "dropped");
        this.captureFailed = captureRecords(registry, "failed");
    }

    private static Counter tableReloads(MeterRegistry registry, String result) {
        return Counter.builder("slmfleet.router.table.reloads").description("Routing table contents read, by result")
                .tag("result", result).register(registry);
    }

    private static Counter captureRecords(MeterRegistry registry, String result) {
        return Counter.builder("slmfleet.router.capture.records")
                .description("Sampled usage records: written, dropped (queue full) or failed (write error)")
                .tag("result", result).register(registry);
    }

    /** One request the router answered, from its first byte in to its last byte out. */
    public void request(String route, String target, Outcome outcome, long nanos) {
        requests.computeIfAbsent(new RequestKey(route, target, outcome), key -> Timer.builder("slmfleet.router.requests")
                .description("Requests by task (route), the target or fallback that answered, and outcome")
                .tags("route", key.route(), "target", key.target(), "outcome", key.outcome().name())
                .serviceLevelObjectives(LATENCY_BUCKETS)
                .register(registry))
                .record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    /** One call to a target or the fallback; retries and escalations make several per request. */
    public void attempt(String route, String target, String result) {
        attempts.computeIfAbsent(new AttemptKey(route, target, result), key -> Counter.builder("slmfleet.router.upstream.attempts")
                .description("Calls to targets and the fallback, by result (ok, error, status_5xx, status_429, timeout, invalid_output)")
                .tags("route", key.route(), "target", key.target(), "result", key.result())
                .register(registry))
                .increment();
    }

    public void fallback(String route, FallbackReason reason) {
        fallbacks.computeIfAbsent(new FallbackKey(route, reason), key -> Counter.builder("slmfleet.router.fallbacks")
                .description("Requests sent to the fallback LLM, by reason")
                .tags("route", key.route(), "reason", key.reason().name())
                .register(registry))
                .increment();
    }

    /** Token counts from a response's usage field. */
    public void tokens(String route, String target, long prompt, long completion) {
        countTokens(tokens, "slmfleet.router.tokens",
                "Tokens reported in responses' usage field, by kind (prompt, completion)", route, target, prompt, completion);
    }

    @Override
    public void compared(String route, String candidate, Verdict verdict, double score) {
        comparisons.computeIfAbsent(new ComparisonKey(route, candidate, verdict), key -> Counter.builder("slmfleet.router.comparisons")
                .description("Comparisons of a delegation candidate against its reference, by verdict")
                .tags("route", key.route(), "candidate", key.candidate(), "verdict", key.verdict().name())
                .register(registry))
                .increment();
        if (!Double.isNaN(score)) {
            scores.computeIfAbsent(new ScoreKey(route, candidate), key -> DistributionSummary.builder("slmfleet.router.comparison.score")
                    .description("Scores of the candidate's answers against the reference's, in [0, 1]")
                    .tags("route", key.route(), "candidate", key.candidate())
                    .serviceLevelObjectives(SCORE_BUCKETS)
                    .register(registry))
                    .record(score);
        }
    }

    @Override
    public void shadowCall(String route, String target, String result, long nanos) {
        shadowCalls.computeIfAbsent(new AttemptKey(route, target, result), key -> Timer.builder("slmfleet.router.shadow.calls")
                .description("Calls made only for comparisons (candidate, reference or judge), by result")
                .tags("route", key.route(), "target", key.target(), "result", key.result())
                .serviceLevelObjectives(LATENCY_BUCKETS)
                .register(registry))
                .record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    @Override
    public void shadowTokens(String route, String target, long prompt, long completion) {
        countTokens(shadowTokens, "slmfleet.router.shadow.tokens",
                "Tokens reported in the usage field of shadow calls' answers (candidate, reference or judge), by kind",
                route, target, prompt, completion);
    }

    private void countTokens(ConcurrentMap<TokenKey, Counter> counters, String metric, String description, String route,
            String target, long prompt, long completion) {
        if (prompt > 0) {
            tokenCounter(counters, metric, description, route, target, "prompt").increment(prompt);
        }
        if (completion > 0) {
            tokenCounter(counters, metric, description, route, target, "completion").increment(completion);
        }
    }

    private Counter tokenCounter(ConcurrentMap<TokenKey, Counter> counters, String metric, String description,
            String route, String target, String kind) {
        return counters.computeIfAbsent(new TokenKey(route, target, kind), key -> Counter.builder(metric)
                .description(description)
                .tags("route", key.route(), "target", key.target(), "kind", key.kind())
                .register(registry));
    }

    /** Exports how many comparisons are running, against the router's bound (slmfleet.router.shadow-concurrency). */
    public void comparisonsRunning(ShadowComparisons shadow) {
        Gauge.builder("slmfleet.router.comparisons.running", shadow, ShadowComparisons::running)
                .description("Shadow comparisons started and not yet counted").register(registry);
    }

    public void tableReload(boolean loaded) {
        (loaded ? tableLoaded : tableRejected).increment();
    }

    @Override
    public void written(int records) {
        captureWritten.increment(records);
    }

    @Override
    public void dropped() {
        captureDropped.increment();
    }

    @Override
    public void failed(int records) {
        captureFailed.increment(records);
    }
}
