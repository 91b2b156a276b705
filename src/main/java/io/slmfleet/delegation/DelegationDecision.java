package io.slmfleet.delegation;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

import io.slmfleet.api.v1alpha1.AgentRouteStatus.DelegationPhase;
import io.slmfleet.delegation.Decision.Action;

/**
 * One look at a route's delegation: the previous state, the spec, the candidate's readiness and the current window's
 * figures in; the next state (phase, step, the candidate's live share, figures, last decision) out. Pure: the
 * caller reads the figures and passes the time.
 * <p>
 * The phases: {@code Waiting} (candidate not ready: 0 %) → {@code Shadowing} (0 %, comparisons only) →
 * {@code Progressing} through the steps → {@code Promoted} (the last step's share), or {@code RolledBack} (0 %) at any
 * look where a gate is clearly missed. A window (shadowing or a step) is checked once it has lasted stepInterval and
 * holds minComparisons; it passes when the agreement's lower bound reaches minAgreement and the error and invalid-output
 * rates' upper bounds stay under their gates (and, with maxLatencyRatio, once the candidate serves live traffic, its
 * latency ratio stays under it). Every bound is a {@link ConfidenceSequence}, valid however often this runs. Missing
 * figures hold the phase: they never count as a pass. Promoted and RolledBack are final for a candidate; a different
 * candidate in the spec starts over.
 */
public final class DelegationDecision {

    /**
     * The next state and whether the figures could be read.
     *
     * @param analysisUnavailable the figures source could not answer: the phase was held
     */
    public record Outcome(DelegationState state, boolean analysisUnavailable) {

        public Decision decision() {
            return state.lastDecision();
        }

        /** The candidate's live share, in percent. */
        public int weight() {
            return state.weight();
        }
    }

    private DelegationDecision() {
    }

    /**
     * @param previous the state the last look left (from status), or null when the route had no delegation
     * @param figures the current window's figures since {@code state.windowStart()}; empty when they could not be read
     */
    public static Outcome decide(DelegationState previous, DelegationPolicy policy, CandidateReadiness readiness,
            Optional<StepFigures> figures, Instant now) {
        boolean sameCandidate = previous != null && previous.candidate().equals(policy.candidate());
        DelegationState state = sameCandidate ? previous : DelegationState.start(policy.candidate(), now);
        Look look = new Look(state, policy, now);
        if (state.phase() == DelegationPhase.Promoted || state.phase() == DelegationPhase.RolledBack) {
            return new Outcome(state, false);
        }
        if (policy.paused()) {
            return new Outcome(look.pause(), false);
        }
        if (!readiness.ready()) {
            return new Outcome(look.decide(DelegationPhase.Waiting, state.step(), 0, Action.Wait, readiness.reason(),
                    readiness.message()), false);
        }
        if (state.phase() == DelegationPhase.Waiting || state.phase() == DelegationPhase.Paused) {
            return new Outcome(look.resume(), false);
        }
        if (figures.isEmpty()) {
            return new Outcome(look.hold(Decision.ANALYSIS_UNAVAILABLE,
                    "the figures could not be read: holding " + look.where() + " until they can"), true);
        }
        return new Outcome(look.evaluate(figures.get()), false);
    }

    /** One call's view: the state it started from, the policy, the time. */
    private record Look(DelegationState state, DelegationPolicy policy, Instant now) {

        /** A decision kept with its first time when the action and reason repeat. */
        Decision decision(Action action, String reason, String message) {
            Decision decision = new Decision(action, reason, message, now);
            return decision.sameAs(state.lastDecision()) ? new Decision(action, reason, message, state.lastDecision().time())
                    : decision;
        }

        DelegationState decide(DelegationPhase phase, Integer step, int weight, Action action, String reason, String message) {
            return state.with(phase, step, weight, decision(action, reason, message));
        }

        DelegationState hold(String reason, String message) {
            return state.with(state.phase(), state.step(), state.weight(), decision(Action.Hold, reason, message));
        }

        int share(Integer step) {
            return step == null ? 0 : policy.steps().get(Math.min(step, policy.lastStep()));
        }

        DelegationState pause() {
            if (state.phase() == DelegationPhase.Paused) {
                return state;
            }
            int weight = state.phase() == DelegationPhase.Progressing ? share(state.step()) : 0;
            return decide(DelegationPhase.Paused, state.step(), weight, Action.Pause, Decision.PAUSED,
                    "paused in the spec: the candidate keeps " + weight + "% of live traffic, no step is taken or rolled back");
        }

        /** From Waiting or Paused back to the window the candidate was in, counting anew. */
        DelegationState resume() {
            Integer step = state.step() == null ? null : Math.min(state.step(), policy.lastStep());
            String reason = state.phase() == DelegationPhase.Paused ? Decision.RESUMED
                    : state.lastDecision() == null ? Decision.NEW_CANDIDATE : Decision.CANDIDATE_READY;
            if (step == null) {
                return state.newWindow(DelegationPhase.Shadowing, null, 0, now, decision(Action.Shadow, reason,
                        policy.candidate().label() + " is compared on a share of the requests, at 0% of live traffic"));
            }
            int weight = share(step);
            return state.newWindow(DelegationPhase.Progressing, step, weight, now, decision(Action.Step, reason,
                    policy.candidate().label() + " is back at step " + (step + 1) + " (" + weight + "%), its figures counted anew"));
        }

        DelegationState evaluate(StepFigures figures) {
            Comparisons counts = figures.comparisons();
            Duration elapsed = Duration.between(state.windowStart(), now);
            GateCheck check = GateCheck.of(policy.gates(), policy.confidence(), policy.minComparisons(), policy.stepInterval(),
                    figures, elapsed, state.phase() == DelegationPhase.Progressing);
            StepEvaluation.Bounds bounds = check.bounds();
            DelegationState measured = state.withCurrentFigures(
                    StepEvaluation.of(state.step(), state.weight(), bounds, figures));
            Look look = new Look(measured, policy, now);
            return switch (check.verdict()) {
                case Missed -> check.reason().equals(Decision.LATENCY_ABOVE_GATE)
                        ? look.rollBack(Decision.LATENCY_ABOVE_GATE, String.format(Locale.ROOT,
                                "p95 latency %.2fx the trusted targets' is above the gate %.2fx",
                                figures.latencyRatio().getAsDouble(), policy.gates().maxLatencyRatio().getAsDouble()))
                        : look.rollBack(check.reason(), summary(bounds, figures));
                case CollectingEvidence -> look.hold(Decision.COLLECTING_EVIDENCE, where() + ": " + counts.total()
                        + " comparisons (" + policy.minComparisons() + " needed), " + minutes(elapsed) + " of "
                        + minutes(policy.stepInterval()));
                case LatencyUnmeasured -> look.hold(Decision.LATENCY_UNMEASURED, where()
                        + ": the gates pass but the latency ratio is not measured yet (too few live answers on either side)");
                case Inconclusive -> look.hold(Decision.INCONCLUSIVE,
                        where() + ", " + summary(bounds, figures) + ": " + String.join("; ", check.pending()));
                case Cleared -> look.advance(summary(bounds, figures));
            };
        }

        DelegationState rollBack(String reason, String figures) {
            return state.with(DelegationPhase.RolledBack, state.step(), 0, decision(Action.RollBack, reason,
                    "rolled back at " + where() + ": " + figures + "; " + GateCheck.gateText(reason, policy.gates())
                            + ". The candidate gets no traffic while the spec names it"));
        }

        DelegationState advance(String figures) {
            if (state.phase() == DelegationPhase.Shadowing) {
                int weight = share(0);
                return state.newWindow(DelegationPhase.Progressing, 0, weight, now, decision(Action.Step, Decision.GATES_PASSED,
                        "shadowing passed (" + figures + "): step 1, " + weight + "% of live traffic"));
            }
            int step = state.step();
            if (step >= policy.lastStep()) {
                return state.with(DelegationPhase.Promoted, step, share(step), decision(Action.Promote, Decision.GATES_PASSED,
                        "the last step passed (" + figures + "): promoted at " + share(step) + "%. To make it permanent, "
                                + "move " + policy.candidate().label() + " into the route's targets and remove its delegation"));
            }
            int weight = share(step + 1);
            return state.newWindow(DelegationPhase.Progressing, step + 1, weight, now, decision(Action.Step, Decision.GATES_PASSED,
                    "step " + (step + 1) + " passed (" + figures + "): step " + (step + 2) + ", " + weight + "% of live traffic"));
        }

        /** Shadowing, or step n (w%), for messages. */
        String where() {
            return state.step() == null || state.phase() == DelegationPhase.Shadowing ? "shadowing"
                    : "step " + (state.step() + 1) + " (" + state.weight() + "%)";
        }
    }

    static String summary(StepEvaluation.Bounds bounds, StepFigures figures) {
        return String.format(Locale.ROOT, "%d comparisons, agreement %s [%.4f, %.4f], invalid %s (≤ %.4f); %d calls, "
                + "error rate %s (≤ %.4f)", figures.comparisons().total(), rate(bounds.agreement()), bounds.agreement().lower(),
                bounds.agreement().upper(), rate(bounds.invalidOutputRate()), bounds.invalidOutputRate().upper(),
                figures.calls().calls(), rate(bounds.errorRate()), bounds.errorRate().upper());
    }

    private static String rate(ConfidenceSequence.Interval interval) {
        return Double.isNaN(interval.estimate()) ? "-" : String.format(Locale.ROOT, "%.4f", interval.estimate());
    }

    static String minutes(Duration duration) {
        long seconds = duration.toSeconds();
        return seconds % 60 == 0 ? seconds / 60 + "m" : seconds / 60 + "m" + seconds % 60 + "s";
    }
}
