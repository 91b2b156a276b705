package io.slmfleet.agentroute;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.slmfleet.agentroute.EvaluationEntrants.Entered;
import io.slmfleet.agentroute.EvaluationEntrants.NotStartable;
import io.slmfleet.api.v1alpha1.AgentRoute;
import io.slmfleet.api.v1alpha1.AgentRouteStatus.DelegationPhase;
import io.slmfleet.api.v1alpha1.AgentRouteStatus.DelegationStatus;
import io.slmfleet.api.v1alpha1.AgentRouteStatus.TournamentCandidate;
import io.slmfleet.api.v1alpha1.CandidatesFromSpec;
import io.slmfleet.api.v1alpha1.EvaluationJob;
import io.slmfleet.api.v1alpha1.EvaluationJobSpec;
import io.slmfleet.api.v1alpha1.EvaluationJobStatus;
import io.slmfleet.api.v1alpha1.EvaluationJobStatus.LeaderboardRow;
import io.slmfleet.api.v1alpha1.RouteSpec;
import io.slmfleet.api.v1alpha1.SLMSpecialist;
import io.slmfleet.delegation.Candidate;
import io.slmfleet.render.Manifests;

/**
 * Which of an EvaluationJob's candidates enter a candidatesFrom tournament (those that cleared its gate, SLMSpecialists
 * only, not the route's targets, cheapest first, at most 4) and why a tournament cannot start.
 */
class EvaluationEntrantsTest {

    static final String NAMESPACE = "agents";
    static final String EVALUATION = "eval-triage";
    static final Instant NOW = Instant.parse("2026-12-04T12:00:00Z");

    @Test
    void thePassingSpecialistsEnterCheapestFirstAtMostFourTheOthersNamed() {
        EvaluationJob evaluation = succeeded(0.95,
                specialist("dear", "ticket-triage", "triage-v3", 0.99, 0.9),
                fallback("teacher", 0.99, 4.0),
                endpoint("hosted", 0.98, 1.0),
                specialist("trusted", "ticket-triage", "triage-v1", 0.97, 0.1),
                specialist("tie-lower", "triage-small", "triage-v2", 0.96, 0.2),
                specialist("tie-higher", "triage-small", null, 0.98, 0.2),
                specialist("unpriced", "triage-spare", "triage-v2", 0.99, null),
                specialist("mid", "triage-spare", null, 0.95, 0.5),
                specialist("below", "triage-tiny", null, 0.94, 0.01));
        evaluation.getStatus().leaderboard.add(row("unjudged", null, 0.0));
        evaluation.getSpec().candidates.add(candidate("unjudged", "triage-tiny", "triage-v1"));

        Entered entered = (Entered) EvaluationEntrants.resolve(NAMESPACE, route(), List.of(evaluation));

        assertThat(entered.candidates()).as("cheapest first; at equal cost the higher agreement lower bound").containsExactly(
                new Candidate("triage-small", null), new Candidate("triage-small", "triage-v2"),
                new Candidate("triage-spare", null), new Candidate("ticket-triage", "triage-v3"));
        assertThat(entered.costPer1k()).containsEntry(new Candidate("triage-small", null), 0.2)
                .containsEntry(new Candidate("ticket-triage", "triage-v3"), 0.9);
        assertThat(entered.leftOut()).isEqualTo("teacher (a route's fallback LLM, not a delegation target), "
                + "hosted (an external endpoint, not a delegation target), trusted (already a target of the route), "
                + "unpriced (past the 4 cheapest)");
    }

    @Test
    void anUnknownCostEntersLast() {
        EvaluationJob evaluation = succeeded(0.9,
                specialist("unpriced", "triage-spare", null, 0.99, null),
                specialist("priced", "triage-small", null, 0.91, 3.0));

        Entered entered = (Entered) EvaluationEntrants.resolve(NAMESPACE, route(), List.of(evaluation));

        assertThat(entered.candidates()).containsExactly(new Candidate("triage-small", null),
                new Candidate("triage-spare", null));
        assertThat(entered.costPer1k()).doesNotContainKey(new Candidate("triage-spare", null));
        assertThat(entered.leftOut()).isEmpty();
    }

    @Test
    void aMissingEvaluationIsNamed() {
        EvaluationJob elsewhere = succeeded(0.9, specialist("a", "triage-small", null, 0.99, 1.0));
        elsewhere.getMetadata().setNamespace("other");

        NotStartable why = (NotStartable) EvaluationEntrants.resolve(NAMESPACE, route(), List.of(elsewhere));

        assertThat(why.reason()).isEqualTo("EvaluationNotFound");
        assertThat(why.message()).startsWith("EvaluationJob eval-triage not found");
    }

    @Test
    void aRunningOrPendingEvaluationIsWaitedFor() {
        EvaluationJob running = evaluation();
        inPhase(running, EvaluationJobStatus.Phase.Running);
        EvaluationJob fresh = evaluation();

        NotStartable whileRunning = (NotStartable) EvaluationEntrants.resolve(NAMESPACE, route(), List.of(running));
        NotStartable beforeItsFirstStatus = (NotStartable) EvaluationEntrants.resolve(NAMESPACE, route(), List.of(fresh));

        assertThat(whileRunning.reason()).isEqualTo("EvaluationNotComplete");
        assertThat(whileRunning.message()).isEqualTo("EvaluationJob eval-triage is Running: the tournament starts once it "
                + "has ranked its candidates");
        assertThat(beforeItsFirstStatus.reason()).isEqualTo("EvaluationNotComplete");
        assertThat(beforeItsFirstStatus.message()).contains("is Pending");
    }

    @Test
    void aFailedEvaluationSaysWhy() {
        EvaluationJob failed = evaluation();
        inPhase(failed, EvaluationJobStatus.Phase.Failed);
        failed.getStatus().conditions = List.of(new ConditionBuilder().withType("Failed").withStatus("True")
                .withReason("EmptyDataset").withMessage("eval.jsonl holds no example").build());

        NotStartable why = (NotStartable) EvaluationEntrants.resolve(NAMESPACE, route(), List.of(failed));

        assertThat(why.reason()).isEqualTo("EvaluationFailed");
        assertThat(why.message()).isEqualTo("EvaluationJob eval-triage failed (EmptyDataset: eval.jsonl holds no example): "
                + "it ranked no candidate; name another evaluation in candidatesFrom");
    }

    @Test
    void noneThatCouldEnterPassedWithTheRecommendationsReason() {
        EvaluationJob below = succeeded(0.95,
                specialist("base", "triage-small", null, 0.90, 0.1),
                fallback("teacher", 0.99, 4.0));
        below.getStatus().recommendation = new EvaluationJobStatus.Recommendation();
        below.getStatus().recommendation.candidate = "teacher";
        below.getStatus().recommendation.reason = "cheapest whose agreement lower bound clears 0.95";

        NotStartable why = (NotStartable) EvaluationEntrants.resolve(NAMESPACE, route(), List.of(below));

        assertThat(why.reason()).isEqualTo("NoCandidatePassed");
        assertThat(why.message()).isEqualTo("EvaluationJob eval-triage: no SLMSpecialist candidate that could enter cleared "
                + "its gate minAgreement 0.95 (its recommendation: cheapest whose agreement lower bound clears 0.95); "
                + "left out: teacher (a route's fallback LLM, not a delegation target)");
    }

    @Test
    void aTournamentThatCannotStartWaitsWithNoCandidateServedAndKeepsItsTimeWhileItWaits() {
        AgentRoute route = agentRoute();
        EvaluationJob running = evaluation();
        inPhase(running, EvaluationJobStatus.Phase.Running);

        RouteDelegations.Looked first = RouteDelegations.decide(route, List.of(), List.of(running), Map.of(),
                new io.slmfleet.economics.GpuPrices(Map.of(), Map.of()), NOW);
        route.getStatus().delegations = first.statuses();
        RouteDelegations.Looked later = RouteDelegations.decide(route, List.of(), List.of(running), Map.of(),
                new io.slmfleet.economics.GpuPrices(Map.of(), Map.of()), NOW.plusSeconds(60));

        DelegationStatus entry = later.statuses().get(0);
        assertThat(entry.phase).isEqualTo(DelegationPhase.Waiting);
        assertThat(entry.weight).isZero();
        assertThat(entry.candidate).isNull();
        assertThat(entry.lastDecision.action).isEqualTo("Wait");
        assertThat(entry.lastDecision.reason).isEqualTo("EvaluationNotComplete");
        assertThat(entry.lastDecision.time).as("a repeated wait is not a new decision").isEqualTo(NOW.toString());
        assertThat(later.servings().get("classification")).isEqualTo(CandidateServing.NONE);
        assertThat(later.measuring()).as("the evaluation's informer, not a timer, wakes the route").isFalse();
    }

    @Test
    void aTournamentFromASucceededEvaluationRanksByItsMeasuredCost() {
        AgentRoute route = agentRoute();
        EvaluationJob evaluation = succeeded(0.95,
                specialist("dear", "ticket-triage", "triage-v2", 0.99, 0.9),
                specialist("cheap", "triage-small", "triage-v2", 0.96, 0.2),
                fallback("teacher", 0.99, 4.0));
        List<SLMSpecialist> specialists = Manifests.ofKind(RouteDesiredStateTest.parse("support-agent"), SLMSpecialist.class);

        RouteDelegations.Looked looked = RouteDelegations.decide(route, specialists, List.of(evaluation), Map.of(),
                new io.slmfleet.economics.GpuPrices(Map.of("NVIDIA-L4", 0.8), Map.of()), NOW);

        DelegationStatus entry = looked.statuses().get(0);
        assertThat(entry.phase).isEqualTo(DelegationPhase.Shadowing);
        assertThat(entry.lastDecision.reason).isEqualTo("NewTournament");
        assertThat(entry.lastDecision.message).isEqualTo("tournament of triage-small/triage-v2, ticket-triage/triage-v2 "
                + "(EvaluationJob eval-triage's candidates that passed, cheapest first; left out: teacher (a route's "
                + "fallback LLM, not a delegation target)): every candidate shadowed on the same sampled requests");
        assertThat(entry.candidates).extracting(row -> row.specialist, row -> row.cost, row -> row.costSource)
                .as("the evaluation's cost per 1k, not the GPU price per hour: one unit per tournament")
                .containsExactly(org.assertj.core.groups.Tuple.tuple("triage-small", 0.2, "EvaluationJob"),
                        org.assertj.core.groups.Tuple.tuple("ticket-triage", 0.9, "EvaluationJob"));
        assertThat(entry.candidates).extracting((TournamentCandidate row) -> row.state).containsOnly("Competing");
        assertThat(looked.servings().get("classification").compared()).containsExactly(
                new Candidate("triage-small", "triage-v2"), new Candidate("ticket-triage", "triage-v2"));
    }

    /** The support-agent's classification route (triage-v1 trusted), its delegation from the evaluation. */
    private static AgentRoute agentRoute() {
        AgentRoute route = RouteDesiredStateTest.route(RouteDesiredStateTest.parse("support-agent"));
        route.getSpec().routes.removeIf(r -> !r.task.equals("classification"));
        var delegation = route.getSpec().routes.get(0).delegation;
        delegation.candidate = null;
        delegation.candidatesFrom = new CandidatesFromSpec(EVALUATION);
        route.setStatus(new io.slmfleet.api.v1alpha1.AgentRouteStatus());
        return route;
    }

    private static RouteSpec route() {
        return agentRoute().getSpec().routes.get(0);
    }

    private static EvaluationJob evaluation() {
        EvaluationJob evaluation = new EvaluationJob();
        evaluation.setMetadata(new ObjectMetaBuilder().withName(EVALUATION).withNamespace(NAMESPACE).build());
        evaluation.setSpec(new EvaluationJobSpec());
        return evaluation;
    }

    /** A ranked evaluation at the gate, of the given candidates (spec and leaderboard row). */
    private static EvaluationJob succeeded(double minAgreement, Ranked... ranked) {
        EvaluationJob evaluation = evaluation();
        evaluation.getSpec().gates.minAgreement = minAgreement;
        inPhase(evaluation, EvaluationJobStatus.Phase.Succeeded);
        evaluation.getStatus().leaderboard = new ArrayList<>();
        for (Ranked one : ranked) {
            evaluation.getSpec().candidates.add(one.candidate());
            evaluation.getStatus().leaderboard.add(one.row());
        }
        return evaluation;
    }

    private record Ranked(EvaluationJobSpec.Candidate candidate, LeaderboardRow row) {
    }

    private static Ranked specialist(String name, String specialist, String adapter, Double agreementLower, Double cost) {
        return new Ranked(candidate(name, specialist, adapter), row(name, agreementLower, cost));
    }

    private static Ranked fallback(String name, Double agreementLower, Double cost) {
        EvaluationJobSpec.Candidate candidate = new EvaluationJobSpec.Candidate();
        candidate.name = name;
        candidate.agentRouteFallback = "support-agent";
        return new Ranked(candidate, row(name, agreementLower, cost));
    }

    private static Ranked endpoint(String name, Double agreementLower, Double cost) {
        EvaluationJobSpec.Candidate candidate = new EvaluationJobSpec.Candidate();
        candidate.name = name;
        candidate.endpoint = new EvaluationJobSpec.Endpoint();
        candidate.endpoint.url = "https://llm.example.com/v1";
        candidate.endpoint.model = "some-model";
        return new Ranked(candidate, row(name, agreementLower, cost));
    }

    private static EvaluationJobSpec.Candidate candidate(String name, String specialist, String adapter) {
        EvaluationJobSpec.Candidate candidate = new EvaluationJobSpec.Candidate();
        candidate.name = name;
        candidate.specialist = specialist;
        candidate.adapter = adapter;
        return candidate;
    }

    /** The evaluation with a status of only that phase, as its controller first writes it. */
    static EvaluationJob inPhase(EvaluationJob evaluation, EvaluationJobStatus.Phase phase) {
        evaluation.setStatus(new EvaluationJobStatus());
        evaluation.getStatus().phase = phase;
        return evaluation;
    }

    static LeaderboardRow row(String name, Double agreementLower, Double cost) {
        LeaderboardRow row = new LeaderboardRow();
        row.name = name;
        row.agreementLower = agreementLower;
        row.costPer1k = cost;
        return row;
    }
}
