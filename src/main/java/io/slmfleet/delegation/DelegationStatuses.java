package io.slmfleet.delegation;

import java.time.Instant;
import java.util.List;

import io.slmfleet.api.v1alpha1.AgentRouteStatus;

/** A delegation's state to and from its entry in the AgentRoute's status.delegations, without loss. */
public final class DelegationStatuses {

    private DelegationStatuses() {
    }

    public static AgentRouteStatus.DelegationStatus toStatus(String task, DelegationState state) {
        AgentRouteStatus.DelegationStatus status = new AgentRouteStatus.DelegationStatus();
        status.task = task;
        status.candidate = state.candidate().toSpec();
        status.phase = state.phase();
        status.step = state.step();
        status.weight = state.weight();
        status.stepStartTime = state.windowStart().toString();
        status.steps = state.history().stream().map(DelegationStatuses::toStatus).toList();
        if (state.lastDecision() != null) {
            Decision decision = state.lastDecision();
            status.lastDecision = new AgentRouteStatus.Decision();
            status.lastDecision.action = decision.action().name();
            status.lastDecision.reason = decision.reason();
            status.lastDecision.message = decision.message();
            status.lastDecision.time = decision.time().toString();
        }
        return status;
    }

    /** The state a status entry records; null when the entry is missing or was not written by this operator. */
    public static DelegationState fromStatus(AgentRouteStatus.DelegationStatus status) {
        if (status == null || status.candidate == null || status.phase == null || status.stepStartTime == null) {
            return null;
        }
        Decision decision = null;
        if (status.lastDecision != null && status.lastDecision.action != null && status.lastDecision.time != null) {
            decision = new Decision(Decision.Action.valueOf(status.lastDecision.action), status.lastDecision.reason,
                    status.lastDecision.message, Instant.parse(status.lastDecision.time));
        }
        List<StepEvaluation> history = status.steps == null ? List.of()
                : status.steps.stream().map(DelegationStatuses::fromStatus).toList();
        return new DelegationState(Candidate.of(status.candidate), status.phase, status.step,
                status.weight == null ? 0 : status.weight, Instant.parse(status.stepStartTime), history, decision);
    }

    private static AgentRouteStatus.StepFigures toStatus(StepEvaluation evaluation) {
        AgentRouteStatus.StepFigures figures = new AgentRouteStatus.StepFigures();
        figures.step = evaluation.step();
        figures.weight = evaluation.weight();
        figures.comparisons = evaluation.comparisons();
        figures.agreement = evaluation.agreement();
        figures.agreementLower = evaluation.agreementLower();
        figures.agreementUpper = evaluation.agreementUpper();
        figures.errorRate = evaluation.errorRate();
        figures.errorRateUpper = evaluation.errorRateUpper();
        figures.invalidOutputRate = evaluation.invalidOutputRate();
        figures.invalidOutputRateUpper = evaluation.invalidOutputRateUpper();
        figures.latencyRatio = evaluation.latencyRatio();
        return figures;
    }

    private static StepEvaluation fromStatus(AgentRouteStatus.StepFigures figures) {
        return new StepEvaluation(figures.step, figures.weight == null ? 0 : figures.weight,
                figures.comparisons == null ? 0 : figures.comparisons, figures.agreement, figures.agreementLower,
                figures.agreementUpper, figures.errorRate, figures.errorRateUpper, figures.invalidOutputRate,
                figures.invalidOutputRateUpper, figures.latencyRatio);
    }
}
