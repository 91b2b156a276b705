package io.slmfleet.delegation.figures;

import java.util.Map;
import java.util.NavigableMap;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.TreeMap;

import io.slmfleet.delegation.CandidateCalls;
import io.slmfleet.delegation.Comparisons;
import io.slmfleet.delegation.StepFigures;

/**
 * The router metrics a delegation reads, and how a window's increments of them become its figures. Names are those
 * Micrometer exports on the router's /q/metrics.
 */
public final class RouterFigures {

    /** Shadow comparisons, by route (task), candidate (target label) and verdict. */
    public static final String COMPARISONS = "slmfleet_router_comparisons_total";
    /** Live requests' latency histogram, by route, target (label) and outcome; buckets by le. */
    public static final String REQUEST_BUCKETS = "slmfleet_router_requests_seconds_bucket";
    /** The router's live calls to targets, by route, target (label) and result. */
    public static final String ATTEMPTS = "slmfleet_router_upstream_attempts_total";
    /** The router's shadow calls (the candidate's to be compared), by route, target and result. */
    public static final String SHADOW_CALLS = "slmfleet_router_shadow_calls_seconds_count";
    /** Counts the routing tables a router read: present on every router that serves, so it proves one is scraped. */
    public static final String TABLE_RELOADS = "slmfleet_router_table_reloads_total";

    public static final String ROUTE = "route";
    public static final String CANDIDATE = "candidate";
    public static final String VERDICT = "verdict";
    public static final String TARGET = "target";
    public static final String OUTCOME = "outcome";
    public static final String LE = "le";
    public static final String RESULT = "result";

    /** Call results that count as the candidate failing: the error gate's "connection errors, 5xx, 429, timeouts". */
    static final Set<String> FAILED_RESULTS = Set.of("error", "timeout", "status_5xx", "status_429");
    /** The result of a request no target could take: not a call. */
    static final String NO_TARGET_RESULT = "no_target";

    /** The target label of requests no target answered: not a reference latency. */
    static final String NO_TARGET = "none";
    static final String OK = "ok";

    /** Fewer live answers than this on either side leave the latency ratio unmeasured: a p95 needs a tail. */
    public static final int MIN_LATENCY_ANSWERS = 50;

    private static final double P95 = 0.95;

    private RouterFigures() {
    }

    /** The comparison counts by verdict (agree, disagree, candidate_invalid, candidate_error; others say nothing). */
    public static Comparisons comparisons(Map<String, Double> byVerdict) {
        return new Comparisons(count(byVerdict, "agree"), count(byVerdict, "disagree"), count(byVerdict, "candidate_invalid"),
                count(byVerdict, "candidate_error"));
    }

    /** The candidate's calls from their counts by result (live attempts and shadow calls together). */
    public static CandidateCalls calls(Map<String, Double> byResult) {
        long calls = 0;
        long failed = 0;
        for (Map.Entry<String, Double> result : byResult.entrySet()) {
            if (NO_TARGET_RESULT.equals(result.getKey())) {
                continue;
            }
            long count = Math.round(result.getValue());
            calls += count;
            failed += FAILED_RESULTS.contains(result.getKey()) ? count : 0;
        }
        return new CandidateCalls(calls, failed);
    }

    /**
     * Candidate p95 over reference p95, from cumulative histogram buckets (le → count); empty when either side has
     * fewer than {@link #MIN_LATENCY_ANSWERS} answers.
     */
    public static OptionalDouble latencyRatio(NavigableMap<Double, Double> candidate, NavigableMap<Double, Double> reference) {
        if (answers(candidate) < MIN_LATENCY_ANSWERS || answers(reference) < MIN_LATENCY_ANSWERS) {
            return OptionalDouble.empty();
        }
        double referenceP95 = quantile(P95, reference);
        return referenceP95 > 0 ? OptionalDouble.of(quantile(P95, candidate) / referenceP95) : OptionalDouble.empty();
    }

    /**
     * A window's figures from the increments of the router's series: the candidate's comparisons on the task, its
     * live and shadow calls, and its live answers' latency against those of every other target of the task (the
     * trusted targets, or the fallback LLM).
     */
    public static StepFigures of(Map<CounterAccumulator.Series, Double> increments, String task, String candidate) {
        Map<String, Double> verdicts = new TreeMap<>();
        Map<String, Double> results = new TreeMap<>();
        NavigableMap<Double, Double> candidateBuckets = new TreeMap<>();
        NavigableMap<Double, Double> referenceBuckets = new TreeMap<>();
        increments.forEach((series, value) -> {
            Map<String, String> labels = series.labels();
            if (!task.equals(labels.get(ROUTE))) {
                return;
            }
            if (series.name().equals(COMPARISONS) && candidate.equals(labels.get(CANDIDATE))) {
                verdicts.merge(labels.get(VERDICT), value, Double::sum);
            } else if ((series.name().equals(ATTEMPTS) || series.name().equals(SHADOW_CALLS)) && candidate.equals(labels.get(TARGET))) {
                results.merge(labels.get(RESULT), value, Double::sum);
            } else if (series.name().equals(REQUEST_BUCKETS) && OK.equals(labels.get(OUTCOME)) && labels.containsKey(LE)) {
                String target = labels.get(TARGET);
                NavigableMap<Double, Double> side = candidate.equals(target) ? candidateBuckets
                        : NO_TARGET.equals(target) ? null : referenceBuckets;
                if (side != null) {
                    side.merge(PrometheusText.value(labels.get(LE)), value, Double::sum);
                }
            }
        });
        return new StepFigures(comparisons(verdicts), calls(results), latencyRatio(candidateBuckets, referenceBuckets));
    }

    /**
     * The q-quantile of a cumulative histogram, interpolating linearly inside the bucket it falls in, as Prometheus'
     * histogram_quantile does (the +Inf bucket answers with the highest finite bound).
     */
    static double quantile(double q, NavigableMap<Double, Double> buckets) {
        double total = answers(buckets);
        double rank = q * total;
        double lowerBound = 0;
        double lowerCount = 0;
        for (Map.Entry<Double, Double> bucket : buckets.entrySet()) {
            if (bucket.getValue() >= rank) {
                if (bucket.getKey().isInfinite()) {
                    return lowerBound;
                }
                double inBucket = bucket.getValue() - lowerCount;
                return inBucket <= 0 ? bucket.getKey()
                        : lowerBound + (bucket.getKey() - lowerBound) * (rank - lowerCount) / inBucket;
            }
            lowerBound = bucket.getKey();
            lowerCount = bucket.getValue();
        }
        return lowerBound;
    }

    private static double answers(NavigableMap<Double, Double> buckets) {
        return buckets.isEmpty() ? 0 : buckets.lastEntry().getValue();
    }

    private static long count(Map<String, Double> byVerdict, String verdict) {
        return Math.round(byVerdict.getOrDefault(verdict, 0.0));
    }
}
