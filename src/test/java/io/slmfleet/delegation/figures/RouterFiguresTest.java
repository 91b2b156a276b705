package io.slmfleet.delegation.figures;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.HashMap;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

import io.slmfleet.delegation.CandidateCalls;
import io.slmfleet.delegation.Comparisons;
import io.slmfleet.delegation.StepFigures;

class RouterFiguresTest {

    @Test
    void quantileInterpolatesInsideItsBucketAsPrometheusDoes() {
        NavigableMap<Double, Double> buckets = buckets(0.1, 50, 0.25, 90, 0.5, 100, Double.POSITIVE_INFINITY, 100);
        // rank 95 of 100 is half-way through the (0.25, 0.5] bucket's 10 answers
        assertThat(RouterFigures.quantile(0.95, buckets)).isCloseTo(0.375, within(1e-12));
        assertThat(RouterFigures.quantile(0.5, buckets)).isCloseTo(0.1, within(1e-12));
        // in the +Inf bucket: the highest finite bound
        assertThat(RouterFigures.quantile(0.99, buckets(0.1, 50, Double.POSITIVE_INFINITY, 100))).isEqualTo(0.1);
    }

    @Test
    void latencyRatioNeedsEnoughAnswersOnBothSides() {
        NavigableMap<Double, Double> slow = buckets(0.5, 0, 1.0, 100, Double.POSITIVE_INFINITY, 100);
        NavigableMap<Double, Double> fast = buckets(0.5, 100, 1.0, 100, Double.POSITIVE_INFINITY, 100);
        assertThat(RouterFigures.latencyRatio(slow, fast)).hasValueCloseTo(0.975 / 0.475, within(1e-9));
        NavigableMap<Double, Double> few = buckets(0.5, 49, Double.POSITIVE_INFINITY, 49);
        assertThat(RouterFigures.latencyRatio(few, fast)).isEmpty();
        assertThat(RouterFigures.latencyRatio(slow, new TreeMap<>())).isEmpty();
    }

    @Test
    void figuresOfATaskAndCandidateFromSeriesIncrements() {
        Map<CounterAccumulator.Series, Double> increments = new HashMap<>();
        increments.put(comparison("parsing", "invoice-parser/invoice-v4", "agree"), 90.0);
        increments.put(comparison("parsing", "invoice-parser/invoice-v4", "disagree"), 5.0);
        increments.put(comparison("parsing", "invoice-parser/invoice-v4", "candidate_invalid"), 3.0);
        increments.put(comparison("parsing", "invoice-parser/invoice-v4", "candidate_error"), 2.0);
        increments.put(comparison("parsing", "invoice-parser/invoice-v4", "reference_error"), 7.0);
        increments.put(comparison("parsing", "invoice-parser/invoice-v4", "skipped"), 11.0);
        increments.put(comparison("parsing", "invoice-parser/invoice-v5", "agree"), 1000.0);
        increments.put(comparison("summaries", "invoice-parser/invoice-v4", "agree"), 1000.0);
        increments.put(call(RouterFigures.ATTEMPTS, "invoice-parser/invoice-v4", "ok"), 400.0);
        increments.put(call(RouterFigures.ATTEMPTS, "invoice-parser/invoice-v4", "status_5xx"), 3.0);
        increments.put(call(RouterFigures.ATTEMPTS, "invoice-parser/invoice-v4", "invalid_output"), 2.0);
        increments.put(call(RouterFigures.ATTEMPTS, "invoice-parser/invoice-v4", "no_target"), 50.0);
        increments.put(call(RouterFigures.SHADOW_CALLS, "invoice-parser/invoice-v4", "ok"), 98.0);
        increments.put(call(RouterFigures.SHADOW_CALLS, "invoice-parser/invoice-v4", "timeout"), 2.0);
        increments.put(call(RouterFigures.ATTEMPTS, "invoice-parser/invoice-v3", "error"), 100.0);
        for (String target : new String[] { "invoice-parser/invoice-v4", "invoice-parser/invoice-v3", "fallback", "none" }) {
            boolean candidate = target.endsWith("v4");
            increments.put(bucket(target, "ok", "0.5"), candidate ? 0.0 : 60.0);
            increments.put(bucket(target, "ok", "1.0"), 60.0);
            increments.put(bucket(target, "ok", "+Inf"), 60.0);
            increments.put(bucket(target, "error", "+Inf"), 1000.0);
        }
        StepFigures figures = RouterFigures.of(increments, "parsing", "invoice-parser/invoice-v4");
        assertThat(figures.comparisons()).isEqualTo(new Comparisons(90, 5, 3, 2));
        // live attempts and shadow calls of the candidate: 405 + 100 calls, 3 + 2 failed
        assertThat(figures.calls()).isEqualTo(new CandidateCalls(505, 5));
        // candidate p95 0.975 s; reference (v3 and the fallback, 120 answers, all under 0.5 s) 0.475 s
        assertThat(figures.latencyRatio()).hasValueCloseTo(0.975 / 0.475, within(1e-9));
    }

    static CounterAccumulator.Series comparison(String route, String candidate, String verdict) {
        return new CounterAccumulator.Series(RouterFigures.COMPARISONS, Map.of("route", route, "candidate", candidate, "verdict", verdict));
    }

    static CounterAccumulator.Series call(String metric, String target, String result) {
        return new CounterAccumulator.Series(metric, Map.of("route", "parsing", "target", target, "result", result));
    }

    static CounterAccumulator.Series bucket(String target, String outcome, String le) {
        return new CounterAccumulator.Series(RouterFigures.REQUEST_BUCKETS,
                Map.of("route", "parsing", "target", target, "outcome", outcome, "le", le));
    }

    static NavigableMap<Double, Double> buckets(double... boundsAndCounts) {
        NavigableMap<Double, Double> buckets = new TreeMap<>();
        for (int i = 0; i < boundsAndCounts.length; i += 2) {
            buckets.put(boundsAndCounts[i], boundsAndCounts[i + 1]);
        }
        return buckets;
    }
}
