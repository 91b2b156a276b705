package io.slmfleet.delegation;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One window's figures checked against a delegation's gates: the one gate evaluation that {@link DelegationDecision}
 * (one candidate, window by window) and {@link Tournament} (several candidates shadowed together) both act on. Pure.
 * <p>
 * In this order: a gate clearly missed (its bound entirely on the wrong side) at any time; then, before the window
 * has lasted stepInterval and holds minComparisons, collecting evidence; then the latency gate (above it: missed; not
 * measured yet while the candidate serves live traffic: held); then every bound on the right side, or not yet.
 *
 * @param reason the {@link Decision} constant: the gate missed, {@code CollectingEvidence}, {@code LatencyUnmeasured},
 *        {@code Inconclusive} or {@code GatesPassed}
 * @param pending for {@link Verdict#Inconclusive}: each bound not yet on the right side, in words
 */
record GateCheck(Verdict verdict, String reason, List<String> pending, StepEvaluation.Bounds bounds) {

    enum Verdict {
        /** A gate is clearly missed: the candidate cannot pass this window. */
        Missed,
        /** The window is too short, or holds too few comparisons, to be checked. */
        CollectingEvidence,
        /** The bounds pass but the latency gate is not measured yet (only while serving live traffic). */
        LatencyUnmeasured,
        /** Checked, and some bound is not yet on the right side of its gate. */
        Inconclusive,
        /** Every gate cleared. */
        Cleared
    }

    GateCheck {
        pending = List.copyOf(pending);
    }

    /**
     * @param elapsed how long the window has lasted
     * @param servesLive the candidate has a live share in this window (a step), so latency can be measured
     */
    static GateCheck of(DelegationPolicy.Gates gates, double confidence, long minComparisons, Duration stepInterval,
            StepFigures figures, Duration elapsed, boolean servesLive) {
        StepEvaluation.Bounds bounds = StepEvaluation.Bounds.of(figures, confidence);
        String missed = clearlyMissed(bounds, gates, figures);
        if (missed != null) {
            return new GateCheck(Verdict.Missed, missed, List.of(), bounds);
        }
        if (elapsed.compareTo(stepInterval) < 0 || figures.comparisons().total() < minComparisons) {
            return new GateCheck(Verdict.CollectingEvidence, Decision.COLLECTING_EVIDENCE, List.of(), bounds);
        }
        if (gates.maxLatencyRatio().isPresent()) {
            if (figures.latencyRatio().isPresent()
                    && figures.latencyRatio().getAsDouble() > gates.maxLatencyRatio().getAsDouble()) {
                return new GateCheck(Verdict.Missed, Decision.LATENCY_ABOVE_GATE, List.of(), bounds);
            }
            if (figures.latencyRatio().isEmpty() && servesLive) {
                return new GateCheck(Verdict.LatencyUnmeasured, Decision.LATENCY_UNMEASURED, List.of(), bounds);
            }
        }
        List<String> pending = notYetCleared(bounds, gates);
        if (!pending.isEmpty()) {
            return new GateCheck(Verdict.Inconclusive, Decision.INCONCLUSIVE, pending, bounds);
        }
        return new GateCheck(Verdict.Cleared, Decision.GATES_PASSED, List.of(), bounds);
    }

    /** The gate whose bound is entirely on the wrong side, or null. */
    private static String clearlyMissed(StepEvaluation.Bounds bounds, DelegationPolicy.Gates gates, StepFigures figures) {
        Comparisons counts = figures.comparisons();
        if (counts.judged() > 0 && bounds.agreement().upper() < gates.minAgreement()) {
            return Decision.AGREEMENT_BELOW_GATE;
        }
        if (figures.calls().calls() > 0 && bounds.errorRate().lower() > gates.maxErrorRate()) {
            return Decision.ERROR_RATE_ABOVE_GATE;
        }
        if (counts.answered() > 0 && bounds.invalidOutputRate().lower() > gates.maxInvalidOutputRate()) {
            return Decision.INVALID_OUTPUT_RATE_ABOVE_GATE;
        }
        return null;
    }

    private static List<String> notYetCleared(StepEvaluation.Bounds bounds, DelegationPolicy.Gates gates) {
        List<String> pending = new ArrayList<>();
        if (bounds.agreement().lower() < gates.minAgreement()) {
            pending.add(String.format(Locale.ROOT, "agreement's lower bound %.4f not yet at %.4f", bounds.agreement().lower(),
                    gates.minAgreement()));
        }
        if (bounds.errorRate().upper() > gates.maxErrorRate()) {
            pending.add(String.format(Locale.ROOT, "error rate's upper bound %.4f not yet under %.4f", bounds.errorRate().upper(),
                    gates.maxErrorRate()));
        }
        if (bounds.invalidOutputRate().upper() > gates.maxInvalidOutputRate()) {
            pending.add(String.format(Locale.ROOT, "invalid-output rate's upper bound %.4f not yet under %.4f",
                    bounds.invalidOutputRate().upper(), gates.maxInvalidOutputRate()));
        }
        return pending;
    }

    /** The missed gate in words, for messages. */
    static String gateText(String reason, DelegationPolicy.Gates gates) {
        return switch (reason) {
            case Decision.AGREEMENT_BELOW_GATE -> String.format(Locale.ROOT, "the agreement's upper bound is below %.4f",
                    gates.minAgreement());
            case Decision.ERROR_RATE_ABOVE_GATE -> String.format(Locale.ROOT, "the error rate's lower bound is above %.4f",
                    gates.maxErrorRate());
            case Decision.INVALID_OUTPUT_RATE_ABOVE_GATE -> String.format(Locale.ROOT,
                    "the invalid-output rate's lower bound is above %.4f", gates.maxInvalidOutputRate());
            default -> "latency is above its gate";
        };
    }
}
