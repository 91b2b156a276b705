package io.slmfleet.delegation;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import io.slmfleet.api.v1alpha1.AgentRouteStatus.DelegationPhase;

/**
 * Where a route's delegation stands: everything the next look needs, kept in the AgentRoute's status.
 *
 * @param step index in the policy's steps the candidate is at, or was at when it stopped (waiting, paused, rolled
 *        back); null before the first step
 * @param weight the candidate's live share, in percent
 * @param windowStart when the current window (shadowing or the step) started counting
 * @param history the figures of shadowing and each step taken, the current window last
 * @param lastDecision null only before the first look
 */
public record DelegationState(Candidate candidate, DelegationPhase phase, Integer step, int weight, Instant windowStart,
        List<StepEvaluation> history, Decision lastDecision) {

    public DelegationState {
        history = List.copyOf(history);
    }

    /** A delegation that has not looked at its candidate yet. */
    static DelegationState start(Candidate candidate, Instant now) {
        return new DelegationState(candidate, DelegationPhase.Waiting, null, 0, now, List.of(), null);
    }

    DelegationState with(DelegationPhase phase, Integer step, int weight, Decision decision) {
        return new DelegationState(candidate, phase, step, weight, windowStart, history, decision);
    }

    /** A new window at the given step: its figures count from now. */
    DelegationState newWindow(DelegationPhase phase, Integer step, int weight, Instant now, Decision decision) {
        List<StepEvaluation> figures = new ArrayList<>(history);
        if (!figures.isEmpty() && Objects.equals(figures.get(figures.size() - 1).step(), step)) {
            figures.remove(figures.size() - 1);
        }
        figures.add(StepEvaluation.empty(step, weight));
        return new DelegationState(candidate, phase, step, weight, now, figures, decision);
    }

    /** The current window's figures replaced by the latest. */
    DelegationState withCurrentFigures(StepEvaluation evaluation) {
        List<StepEvaluation> figures = new ArrayList<>(history);
        if (figures.isEmpty()) {
            figures.add(evaluation);
        } else {
            figures.set(figures.size() - 1, evaluation);
        }
        return new DelegationState(candidate, phase, step, weight, windowStart, figures, lastDecision);
    }
}
