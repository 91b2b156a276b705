package io.slmfleet.delegation;

import java.time.Instant;

/**
 * What the delegation did at a look, and why.
 *
 * @param reason one word, one of the constants here or the candidate's not-ready reason
 * @param time when this action and reason were first decided (a hold repeated keeps its time)
 */
public record Decision(Action action, String reason, String message, Instant time) {

    public enum Action {
        /** The candidate cannot take traffic: it gets none. */
        Wait,
        /** Comparisons only, at 0 % live. */
        Shadow,
        /** Stay at the current share. */
        Hold,
        /** Move to the next step's share. */
        Step,
        /** The last step passed. */
        Promote,
        /** Back to 0 %: a gate was clearly missed. */
        RollBack,
        /** Paused in the spec. */
        Pause
    }

    public static final String NEW_CANDIDATE = "NewCandidate";
    public static final String CANDIDATE_READY = "CandidateReady";
    public static final String RESUMED = "Resumed";
    public static final String PAUSED = "Paused";
    public static final String COLLECTING_EVIDENCE = "CollectingEvidence";
    public static final String INCONCLUSIVE = "Inconclusive";
    public static final String LATENCY_UNMEASURED = "LatencyUnmeasured";
    public static final String ANALYSIS_UNAVAILABLE = "AnalysisUnavailable";
    public static final String GATES_PASSED = "GatesPassed";
    public static final String AGREEMENT_BELOW_GATE = "AgreementBelowGate";
    public static final String ERROR_RATE_ABOVE_GATE = "ErrorRateAboveGate";
    public static final String INVALID_OUTPUT_RATE_ABOVE_GATE = "InvalidOutputRateAboveGate";
    public static final String LATENCY_ABOVE_GATE = "LatencyAboveGate";

    boolean sameAs(Decision other) {
        return other != null && action == other.action && reason.equals(other.reason);
    }
}
