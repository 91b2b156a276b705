package io.slmfleet.delegation;

import java.time.Duration;
import java.util.List;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.slmfleet.api.v1alpha1.DelegationGatesSpec;
import io.slmfleet.api.v1alpha1.DelegationSpec;

/**
 * A route's delegation spec, typed and with its defaults applied.
 *
 * @param steps the candidate's live share at each step, in percent, increasing
 * @param stepInterval least time in a window (shadowing or a step) before it is checked
 * @param minComparisons least comparisons in a window before it is checked
 * @param confidence of the confidence sequences the gates are checked on
 */
public record DelegationPolicy(Candidate candidate, List<Integer> steps, Duration stepInterval, long minComparisons,
        Gates gates, double confidence, boolean paused) {

    private static final Pattern INTERVAL = Pattern.compile(DelegationSpec.INTERVAL);

    /**
     * @param maxLatencyRatio empty: latency is not a gate
     */
    public record Gates(double minAgreement, double maxErrorRate, double maxInvalidOutputRate, OptionalDouble maxLatencyRatio) {
    }

    public DelegationPolicy {
        steps = List.copyOf(steps);
        if (steps.isEmpty()) {
            throw new IllegalArgumentException("a delegation needs at least one step");
        }
    }

    /** The spec as the API server admitted it; fields it would have defaulted get the same defaults here. */
    public static DelegationPolicy of(DelegationSpec spec) {
        return of(spec, Candidate.of(spec.entrants().get(0)));
    }

    /** The same for the given candidate: a tournament's first (its entrants may come from an evaluation, not the spec). */
    public static DelegationPolicy of(DelegationSpec spec, Candidate candidate) {
        DelegationSpec defaults = new DelegationSpec();
        DelegationGatesSpec gates = spec.gates;
        DelegationGatesSpec gateDefaults = new DelegationGatesSpec();
        return new DelegationPolicy(candidate, spec.steps,
                interval(or(spec.stepInterval, defaults.stepInterval)),
                or(spec.minComparisons, defaults.minComparisons),
                new Gates(gates.minAgreement, or(gates.maxErrorRate, gateDefaults.maxErrorRate),
                        or(gates.maxInvalidOutputRate, gateDefaults.maxInvalidOutputRate),
                        gates.maxLatencyRatio == null ? OptionalDouble.empty() : OptionalDouble.of(gates.maxLatencyRatio)),
                or(spec.confidence, defaults.confidence), Boolean.TRUE.equals(spec.paused));
    }

    /** The same policy for another candidate: a tournament's chosen one. */
    public DelegationPolicy with(Candidate other) {
        return new DelegationPolicy(other, steps, stepInterval, minComparisons, gates, confidence, paused);
    }

    public int lastStep() {
        return steps.size() - 1;
    }

    /** A whole number of seconds, minutes or hours, as the CRD admits it (DelegationSpec.INTERVAL). */
    public static Duration interval(String text) {
        Matcher matcher = INTERVAL.matcher(text);
        if (!matcher.matches()) {
            throw new IllegalArgumentException("not an interval: " + text);
        }
        long amount = Long.parseLong(text.substring(0, text.length() - 1));
        return switch (matcher.group(1)) {
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            default -> Duration.ofHours(amount);
        };
    }

    private static <T> T or(T value, T fallback) {
        return value == null ? fallback : value;
    }
}
