package io.slmfleet.delegation;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * A window's figures as status shows them: rates and their confidence bounds, rounded to 4 decimals (lower bounds
 * down, upper bounds up, so the shown interval is never narrower than the one decided on). Null rates: no trial yet.
 *
 * @param step index in the policy's steps; null for shadowing
 * @param weight the candidate's live share in the window, in percent
 * @param comparisons comparisons the candidate took part in
 * @param errorRate share of the candidate's calls (live and shadow) that failed
 * @param latencyRatio candidate p95 over the trusted targets' p95; null until both served live traffic
 */
public record StepEvaluation(Integer step, int weight, long comparisons, Double agreement, Double agreementLower,
        Double agreementUpper, Double errorRate, Double errorRateUpper, Double invalidOutputRate,
        Double invalidOutputRateUpper, Double latencyRatio) {

    private static final int DECIMALS = 4;

    /** A window that has just started. */
    static StepEvaluation empty(Integer step, int weight) {
        return new StepEvaluation(step, weight, 0, null, null, null, null, null, null, null, null);
    }

    static StepEvaluation of(Integer step, int weight, Bounds bounds, StepFigures figures) {
        return new StepEvaluation(step, weight, figures.comparisons().total(), estimate(bounds.agreement()),
                down(bounds.agreement().lower()), up(bounds.agreement().upper()), estimate(bounds.errorRate()),
                up(bounds.errorRate().upper()), estimate(bounds.invalidOutputRate()), up(bounds.invalidOutputRate().upper()),
                figures.latencyRatio().isPresent() ? round(figures.latencyRatio().getAsDouble(), RoundingMode.HALF_EVEN) : null);
    }

    /** The confidence sequences of a window's three rates. */
    record Bounds(ConfidenceSequence.Interval agreement, ConfidenceSequence.Interval errorRate,
            ConfidenceSequence.Interval invalidOutputRate) {

        static Bounds of(StepFigures figures, double confidence) {
            Comparisons comparisons = figures.comparisons();
            return new Bounds(ConfidenceSequence.of(comparisons.agree(), comparisons.judged(), confidence),
                    ConfidenceSequence.of(figures.calls().failed(), figures.calls().calls(), confidence),
                    ConfidenceSequence.of(comparisons.candidateInvalid(), comparisons.answered(), confidence));
        }
    }

    private static Double estimate(ConfidenceSequence.Interval interval) {
        return Double.isNaN(interval.estimate()) ? null : round(interval.estimate(), RoundingMode.HALF_EVEN);
    }

    private static Double down(double value) {
        return round(value, RoundingMode.FLOOR);
    }

    private static Double up(double value) {
        return round(value, RoundingMode.CEILING);
    }

    private static Double round(double value, RoundingMode mode) {
        return BigDecimal.valueOf(value).setScale(DECIMALS, mode).doubleValue();
    }
}
