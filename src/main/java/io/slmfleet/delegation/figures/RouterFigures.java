package io.slmfleet.delegation.figures;

import java.util.Map;
import java.util.NavigableMap;
import java.util.OptionalDouble;
import java.util.TreeMap;

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
    /** Counts the routing tables a router read: present on every router that serves, so it proves one is scraped. */
    public static final String TABLE_RELOADS = "slmfleet_router_table_reloads_total";

    public static final String ROUTE = "route";
    public static final String CANDIDATE = "candidate";
    public static final String VERDICT = "verdict";
    public static final String TARGET = "target";
    public static final String OUTCOME = "outcome";
    public static final String LE = "le";

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
     * A window's figures from the increments of the router's series: the candidate's comparisons on the task, and its
     * live answers' latency against those of every other target of the task (the trusted targets, or the fallback LLM).
     */
    public static StepFigures of(Map<CounterAccumulator.Series, Double> increments, String task, String candidate) {
        Map<String, Double> verdicts = new TreeMap<>();
        NavigableMap<Double, Double> candidateBuckets = new TreeMap<>();
        NavigableMap<Double, Double> referenceBuckets = new TreeMap<>();
        increments.forEach((series, value) -> {
            Map<String, String> labels = series.labels();
            if (!task.equals(labels.get(ROUTE))) {
                return;
            }
            if (series.name().equals(COMPARISONS) && candidate.equals(labels.get(CANDIDATE))) {
                verdicts.merge(labels.get(VERDICT), value, Double::sum);
            } else if (series.name().equals(REQUEST_BUCKETS) && OK.equals(labels.get(OUTCOME)) && labels.containsKey(LE)) {
                String target = labels.get(TARGET);
                NavigableMap<Double, Double> side = candidate.equals(target) ? candidateBuckets
                        : NO_TARGET.equals(target) ? null : referenceBuckets;
                if (side != null) {
                    side.merge(PrometheusText.value(labels.get(LE)), value, Double::sum);
                }
            }
        });
        return new StepFigures(comparisons(verdicts), latencyRatio(candidateBuckets, referenceBuckets));
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
