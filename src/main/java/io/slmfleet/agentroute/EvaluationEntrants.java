package io.slmfleet.agentroute;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import io.fabric8.kubernetes.api.model.Condition;
import io.slmfleet.api.v1alpha1.DelegationSpec;
import io.slmfleet.api.v1alpha1.EvaluationJob;
import io.slmfleet.api.v1alpha1.EvaluationJobSpec;
import io.slmfleet.api.v1alpha1.EvaluationJobStatus;
import io.slmfleet.api.v1alpha1.EvaluationJobStatus.LeaderboardRow;
import io.slmfleet.api.v1alpha1.RouteSpec;
import io.slmfleet.common.Conditions;
import io.slmfleet.delegation.Candidate;
import io.slmfleet.evaluationjob.EvaluationStatusLogic;

/**
 * A delegation's {@code candidatesFrom}: the EvaluationJob's candidates that passed, cheapest first, as a tournament's
 * entrants; or why the tournament cannot start yet. Pure: the evaluation is what the informer last saw.
 * <p>
 * A candidate passed when its agreement lower bound on the evaluation set reached the evaluation's own
 * {@code gates.minAgreement} (the gate its recommendation was made at). Only SLMSpecialist candidates can be delegated
 * to: the route's fallback (the teacher) and external endpoints are left out, and so is a route's own target (it is the
 * trusted side the candidates are compared with). Entrants are ordered by the evaluation's {@code costPer1k}
 * (unknown last; at equal cost the higher agreement lower bound first, then the leaderboard's order) and capped at
 * {@link DelegationSpec#MAX_CANDIDATES}: the cheapest that may be good enough are the ones worth live traffic.
 */
final class EvaluationEntrants {

    static final String EVALUATION_NOT_FOUND = "EvaluationNotFound";
    static final String EVALUATION_NOT_COMPLETE = "EvaluationNotComplete";
    static final String EVALUATION_FAILED = "EvaluationFailed";
    static final String NO_CANDIDATE_PASSED = "NoCandidatePassed";

    /** What a delegation's candidatesFrom resolves to. */
    sealed interface Resolution {
    }

    /**
     * @param candidates the entrants, cheapest first
     * @param costPer1k each entrant's cost per 1,000 requests as the evaluation measured it; absent when unknown
     * @param leftOut the evaluation's candidates that did not enter and why, in one sentence (empty: none)
     */
    record Entered(List<Candidate> candidates, Map<Candidate, Double> costPer1k, String leftOut) implements Resolution {

        Entered {
            candidates = List.copyOf(candidates);
            costPer1k = Map.copyOf(costPer1k);
        }
    }

    /** The tournament cannot start: the reason is one of the constants here. */
    record NotStartable(String reason, String message) implements Resolution {
    }

    private EvaluationEntrants() {
    }

    /**
     * @param evaluations the EvaluationJobs the informer holds for the route (others are ignored)
     */
    static Resolution resolve(String namespace, RouteSpec routeSpec, List<EvaluationJob> evaluations) {
        String name = routeSpec.delegation.candidatesFrom.evaluationJob;
        Optional<EvaluationJob> found = evaluations.stream()
                .filter(e -> name.equals(e.getMetadata().getName())
                        && (e.getMetadata().getNamespace() == null || namespace.equals(e.getMetadata().getNamespace())))
                .findFirst();
        if (found.isEmpty()) {
            return new NotStartable(EVALUATION_NOT_FOUND, "EvaluationJob " + name + " not found: the tournament starts "
                    + "from its candidates that passed once it exists and has ranked them");
        }
        EvaluationJob evaluation = found.get();
        EvaluationJobStatus status = evaluation.getStatus();
        EvaluationJobStatus.Phase phase = status == null ? null : status.phase;
        if (phase == EvaluationJobStatus.Phase.Failed) {
            return new NotStartable(EVALUATION_FAILED, "EvaluationJob " + name + " failed" + failure(status)
                    + ": it ranked no candidate; name another evaluation in candidatesFrom");
        }
        if (phase != EvaluationJobStatus.Phase.Succeeded || status.leaderboard == null) {
            return new NotStartable(EVALUATION_NOT_COMPLETE, "EvaluationJob " + name + " is "
                    + (phase == null ? EvaluationJobStatus.Phase.Pending : phase)
                    + ": the tournament starts once it has ranked its candidates");
        }
        return entered(name, routeSpec, evaluation.getSpec(), status);
    }

    private static Resolution entered(String name, RouteSpec routeSpec, EvaluationJobSpec spec, EvaluationJobStatus status) {
        double gate = spec.gates == null || spec.gates.minAgreement == null ? new EvaluationJobSpec.Gates().minAgreement
                : spec.gates.minAgreement;
        Map<String, EvaluationJobSpec.Candidate> byName = spec.candidates.stream()
                .collect(Collectors.toMap(c -> c.name, c -> c, (a, b) -> a, LinkedHashMap::new));
        Set<Candidate> targets = routeSpec.targets.stream()
                .map(t -> Candidate.of(t.specialist, t.adapter))
                .collect(Collectors.toSet());
        List<Passed> passed = new ArrayList<>();
        List<String> leftOut = new ArrayList<>();
        for (LeaderboardRow row : status.leaderboard) {
            EvaluationJobSpec.Candidate candidate = byName.get(row.name);
            if (candidate == null) {
                continue; // a row without its spec candidate: nothing to delegate to
            }
            boolean cleared = row.agreementLower != null && row.agreementLower >= gate;
            if (candidate.specialist == null) {
                if (cleared) {
                    leftOut.add(row.name + " (" + (candidate.agentRouteFallback != null ? "a route's fallback LLM"
                            : "an external endpoint") + ", not a delegation target)");
                }
                continue;
            }
            if (!cleared) {
                continue;
            }
            Candidate entrant = Candidate.of(candidate.specialist, candidate.adapter);
            if (targets.contains(entrant)) {
                leftOut.add(row.name + " (already a target of the route)");
                continue;
            }
            passed.add(new Passed(row.name, entrant, row.costPer1k, row.agreementLower));
        }
        if (passed.isEmpty()) {
            String why = status.recommendation == null || status.recommendation.reason == null ? ""
                    : " (its recommendation: " + status.recommendation.reason + ")";
            return new NotStartable(NO_CANDIDATE_PASSED, "EvaluationJob " + name + ": no SLMSpecialist candidate "
                    + "that could enter cleared its gate minAgreement " + gate + why
                    + (leftOut.isEmpty() ? "" : "; left out: " + String.join(", ", leftOut)));
        }
        // stable: at equal cost and agreement the leaderboard's order (the spec's) decides
        passed.sort(Comparator.comparing((Passed p) -> p.costPer1k() == null)
                .thenComparing(p -> p.costPer1k() == null ? 0 : p.costPer1k())
                .thenComparing(Passed::agreementLower, Comparator.reverseOrder()));
        List<Passed> entering = passed.subList(0, Math.min(passed.size(), DelegationSpec.MAX_CANDIDATES));
        passed.subList(entering.size(), passed.size())
                .forEach(p -> leftOut.add(p.name() + " (past the " + DelegationSpec.MAX_CANDIDATES + " cheapest)"));
        Map<Candidate, Double> costs = new LinkedHashMap<>();
        entering.stream().filter(p -> p.costPer1k() != null).forEach(p -> costs.put(p.candidate(), p.costPer1k()));
        return new Entered(entering.stream().map(Passed::candidate).toList(), costs, String.join(", ", leftOut));
    }

    /** The evaluation's Failed condition, as it says it. */
    private static String failure(EvaluationJobStatus status) {
        return status.conditions == null ? "" : status.conditions.stream()
                .filter(c -> EvaluationStatusLogic.FAILED.equals(c.getType()) && Conditions.TRUE.equals(c.getStatus()))
                .findFirst()
                .map(EvaluationEntrants::describe)
                .orElse("");
    }

    private static String describe(Condition condition) {
        return " (" + condition.getReason() + (condition.getMessage() == null ? "" : ": " + condition.getMessage()) + ")";
    }

    private record Passed(String name, Candidate candidate, Double costPer1k, double agreementLower) {
    }
}
