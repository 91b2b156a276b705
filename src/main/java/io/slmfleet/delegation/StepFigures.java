package io.slmfleet.delegation;

import java.util.OptionalDouble;

/**
 * What a figures source read for one window: the comparisons since the window started and, once the candidate serves
 * live traffic next to the trusted targets, its p95 latency over theirs.
 */
public record StepFigures(Comparisons comparisons, OptionalDouble latencyRatio) {

    public static StepFigures of(Comparisons comparisons) {
        return new StepFigures(comparisons, OptionalDouble.empty());
    }
}
