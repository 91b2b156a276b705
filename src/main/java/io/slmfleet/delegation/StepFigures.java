package io.slmfleet.delegation;

import java.util.OptionalDouble;

/**
 * What a figures source read for one window: the comparisons since the window started, the candidate's calls and,
 * once the candidate serves live traffic next to the trusted targets, its p95 latency over theirs.
 */
public record StepFigures(Comparisons comparisons, CandidateCalls calls, OptionalDouble latencyRatio) {
}
