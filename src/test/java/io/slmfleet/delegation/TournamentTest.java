package io.slmfleet.delegation;

import static io.slmfleet.delegation.Tournament.State.Chosen;
import static io.slmfleet.delegation.Tournament.State.Competing;
import static io.slmfleet.delegation.Tournament.State.Eliminated;
import static io.slmfleet.delegation.Tournament.State.NotChosen;
import static io.slmfleet.delegation.Tournament.State.RolledBack;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.slmfleet.api.v1alpha1.AgentRouteStatus.DelegationPhase;
import io.slmfleet.delegation.Tournament.Entrant;
import io.slmfleet.delegation.Tournament.Result;
import io.slmfleet.delegation.Tournament.State;

class TournamentTest {

    static final Candidate A = new Candidate("invoice-parser", "invoice-a");
    static final Candidate B = new Candidate("invoice-parser", "invoice-b");
    static final Candidate C = new Candidate("invoice-parser", "invoice-c");
    static final Duration HOUR = Duration.ofHours(1);
    static final DelegationPolicy POLICY = new DelegationPolicy(A, List.of(5, 25, 50, 100), Duration.ofMinutes(10), 200,
            new DelegationPolicy.Gates(0.95, 0.01, 0.02, OptionalDouble.empty()), 0.95, false);
    static final Tournament.Rules RULES = Tournament.Rules.of(POLICY);

    // shadow figures of 1,000 comparisons (one error-free call each) and where their agreement bounds fall at 0.95
    /** [0.9738, 0.9976]: clears minAgreement 0.95 by a margin. */
    static final StepFigures CLEARS_HIGH = agreeing(990, 10);
    /** [0.9594, 0.9922]: clears. */
    static final StepFigures CLEARS = agreeing(980, 20);
    /** [0.9526, 0.9890]: clears, just. */
    static final StepFigures CLEARS_LOW = agreeing(975, 25);
    /** [0.9332, 0.9787]: not yet either way. */
    static final StepFigures UNDECIDED = agreeing(960, 40);
    /** [0.8618, 0.9311]: the upper bound below the gate. */
    static final StepFigures BELOW = agreeing(900, 100);
    /** 100 comparisons, fewer than minComparisons. */
    static final StepFigures FEW = agreeing(100, 0);

    static StepFigures agreeing(long agree, long disagree) {
        return figures(new Comparisons(agree, disagree, 0, 0), 0);
    }

    static StepFigures figures(Comparisons comparisons, long failedCalls) {
        return new StepFigures(comparisons, new CandidateCalls(comparisons.total() + failedCalls, comparisons.candidateError()
                + failedCalls), OptionalDouble.empty());
    }

    static Entrant entrant(Candidate candidate, Double cost, StepFigures figures) {
        return new Entrant(candidate, cost, figures, HOUR);
    }

    static Result decide(Entrant... entrants) {
        return Tournament.decide(RULES, List.of(entrants), Set.of(), null);
    }

    static void assertStates(Result result, State a, State b) {
        assertThat(result.standings()).extracting(Tournament.Standing::state).containsExactly(a, b);
    }

    @Test
    void theCheaperPassingCandidateBeatsTheDearerPassingOneWhateverTheOrderAndTheMargin() {
        Result result = decide(entrant(A, 3.0, CLEARS_HIGH), entrant(B, 1.0, CLEARS));

        assertThat(result.chosen()).contains(B);
        assertStates(result, NotChosen, Chosen);
        assertThat(result.of(B).reason()).isEqualTo(Decision.GATES_PASSED);
        assertThat(result.of(B).message()).startsWith("chosen: the gates cleared (1000 comparisons, agreement 0.9800 [")
                .endsWith(", 1.0000 per 1k) and no candidate is cheaper");
        assertThat(result.of(A).reason()).isEqualTo(Tournament.ANOTHER_CHOSEN);
        assertThat(result.of(A).message()).isEqualTo("invoice-parser/invoice-b was chosen (1.0000 per 1k) over this "
                + "candidate (3.0000 per 1k, its gates cleared too): no longer shadowed");
        assertThat(result.of(B).figures().agreementLower()).isGreaterThanOrEqualTo(0.95);
        assertThat(result.of(B).figures().comparisons()).isEqualTo(1000);
    }

    @Test
    void aCheaperCandidateStillCompetingHoldsTheDecisionUntilItIsOut() {
        Result held = decide(entrant(A, 3.0, CLEARS_HIGH), entrant(B, 1.0, UNDECIDED));
        assertThat(held.chosen()).isEmpty();
        assertStates(held, Competing, Competing);
        assertThat(held.of(A).reason()).isEqualTo(Tournament.CHEAPER_STILL_COMPETING);
        assertThat(held.of(A).message()).endsWith("but cheaper candidates may still clear: invoice-parser/invoice-b (1.0000 per 1k)");
        assertThat(held.of(B).reason()).isEqualTo(Decision.INCONCLUSIVE);
        assertThat(held.of(B).message()).contains("agreement's lower bound 0.9332 not yet at 0.9500");

        // a cheaper one still collecting evidence holds it too
        Result collecting = decide(entrant(A, 3.0, CLEARS_HIGH), entrant(B, 1.0, FEW));
        assertThat(collecting.chosen()).isEmpty();
        assertThat(collecting.of(B).reason()).isEqualTo(Decision.COLLECTING_EVIDENCE);
        assertThat(collecting.of(B).message()).isEqualTo("100 comparisons (200 needed), 60m of 10m");

        // once the cheaper one is eliminated, the dearer one that cleared is chosen
        Result released = decide(entrant(A, 3.0, CLEARS_HIGH), entrant(B, 1.0, BELOW));
        assertThat(released.chosen()).contains(A);
        assertStates(released, Chosen, Eliminated);
        assertThat(released.of(A).message()).endsWith("and every cheaper candidate is out: invoice-parser/invoice-b AgreementBelowGate");
    }

    @Test
    void aDearerCandidateStillCompetingDoesNotHoldTheDecision() {
        Result result = decide(entrant(A, 3.0, UNDECIDED), entrant(B, 1.0, CLEARS));
        assertThat(result.chosen()).contains(B);
        assertStates(result, NotChosen, Chosen);
        assertThat(result.of(A).message()).isEqualTo("invoice-parser/invoice-b was chosen (1.0000 per 1k) over this "
                + "candidate (3.0000 per 1k): no longer shadowed");
    }

    @Test
    void atEqualCostTheHigherAgreementLowerBoundWinsThenTheDeclaredOrder() {
        Result result = decide(entrant(A, 1.0, CLEARS_LOW), entrant(B, 1.0, CLEARS_HIGH));
        assertThat(result.chosen()).contains(B);
        assertThat(result.of(B).message()).contains("of those cleared at the same cost, its agreement lower bound 0.9738 is the highest");

        assertThat(decide(entrant(A, 1.0, CLEARS), entrant(B, 1.0, CLEARS)).chosen()).contains(A);
        assertThat(decide(entrant(B, 1.0, CLEARS), entrant(A, 1.0, CLEARS)).chosen()).contains(B);
    }

    @Test
    void anEquallyCheapCandidateStillCompetingDoesNotHoldTheDecision() {
        // waiting for it could not make the choice cheaper
        Result result = decide(entrant(A, 1.0, UNDECIDED), entrant(B, 1.0, CLEARS));
        assertThat(result.chosen()).contains(B);
        assertStates(result, NotChosen, Chosen);
    }

    @Test
    void anUnknownCostRanksDearestOfAll() {
        // the unknown-cost candidate waits for any known-cost one still competing, however dear
        Result held = decide(entrant(A, null, CLEARS_HIGH), entrant(B, 50.0, UNDECIDED));
        assertThat(held.chosen()).isEmpty();
        assertThat(held.of(A).reason()).isEqualTo(Tournament.CHEAPER_STILL_COMPETING);
        assertThat(held.of(A).message()).contains("cost unknown");

        // and a known cost that cleared beats an unknown cost that cleared
        assertThat(decide(entrant(A, null, CLEARS_HIGH), entrant(B, 50.0, CLEARS_LOW)).chosen()).contains(B);

        // chosen once every known-cost candidate is out
        assertThat(decide(entrant(A, null, CLEARS), entrant(B, 0.1, BELOW)).chosen()).contains(A);

        // two unknown costs rank equal: the higher lower bound
        assertThat(decide(entrant(A, null, CLEARS_LOW), entrant(B, null, CLEARS_HIGH)).chosen()).contains(B);
    }

    @Test
    void aChoiceStandsAtLaterLooksWhateverTheFiguresNowSay() {
        // C was chosen when B was out; B's figures, say, were read from a new window since. The choice is not reopened
        List<Entrant> entrants = List.of(entrant(A, 0.5, BELOW), entrant(B, 1.0, CLEARS), entrant(C, 3.0, UNDECIDED));
        Result result = Tournament.decide(RULES, entrants, Set.of(), C);
        assertThat(result.chosen()).contains(C);
        assertThat(result.standings()).extracting(Tournament.Standing::state).containsExactly(Eliminated, NotChosen, Chosen);
        assertThat(result.of(C).reason()).isEqualTo(Tournament.CHOSEN_EARLIER);
        assertThat(result.of(B).message()).startsWith("invoice-parser/invoice-c was chosen (3.0000 per 1k)");
    }

    @Test
    void aRolledBackChoiceHandsTheTournamentToTheNextOneThatPasses() {
        List<Entrant> entrants = List.of(entrant(A, 0.5, CLEARS), entrant(B, 1.0, CLEARS), entrant(C, 3.0, CLEARS_HIGH));
        Result first = Tournament.decide(RULES, entrants, Set.of(), null);
        assertThat(first.chosen()).contains(A);
        assertThat(first.standings()).extracting(Tournament.Standing::state).containsExactly(Chosen, NotChosen, NotChosen);

        Result handedOver = Tournament.decide(RULES, entrants, Set.of(A), A);
        assertThat(handedOver.chosen()).contains(B);
        assertThat(handedOver.standings()).extracting(Tournament.Standing::state).containsExactly(RolledBack, Chosen, NotChosen);
        assertThat(handedOver.of(A).reason()).isEqualTo(Tournament.ROLLED_BACK);
        assertThat(handedOver.of(B).message()).endsWith("every cheaper candidate is out: invoice-parser/invoice-a rolled back");

        // the next one has not passed yet: it competes again, and the dearer one that has passed waits for it
        List<Entrant> notYet = List.of(entrant(A, 0.5, CLEARS), entrant(B, 1.0, UNDECIDED), entrant(C, 3.0, CLEARS_HIGH));
        Result waiting = Tournament.decide(RULES, notYet, Set.of(A), A);
        assertThat(waiting.chosen()).isEmpty();
        assertThat(waiting.standings()).extracting(Tournament.Standing::state).containsExactly(RolledBack, Competing, Competing);
        assertThat(waiting.of(C).reason()).isEqualTo(Tournament.CHEAPER_STILL_COMPETING);

        // both cheaper ones rolled back: the last one
        assertThat(Tournament.decide(RULES, entrants, Set.of(A, B), B).chosen()).contains(C);
    }

    @Test
    void whenEveryCandidateIsOutNoneIsChosenAndEachSaysWhy() {
        StepFigures failing = figures(new Comparisons(900, 0, 0, 0), 100);
        StepFigures invalid = figures(new Comparisons(900, 0, 100, 0), 0);
        List<Entrant> entrants = List.of(entrant(A, 1.0, BELOW), entrant(B, 2.0, failing), entrant(C, 3.0, invalid),
                entrant(new Candidate("invoice-parser", null), 0.1, CLEARS_HIGH));
        Result result = Tournament.decide(RULES, entrants, Set.of(new Candidate("invoice-parser", null)), null);

        assertThat(result.chosen()).isEmpty();
        assertThat(result.exhausted()).isTrue();
        assertThat(result.standings()).extracting(Tournament.Standing::state)
                .containsExactly(Eliminated, Eliminated, Eliminated, RolledBack);
        assertThat(result.standings()).extracting(Tournament.Standing::reason).containsExactly(Decision.AGREEMENT_BELOW_GATE,
                Decision.ERROR_RATE_ABOVE_GATE, Decision.INVALID_OUTPUT_RATE_ABOVE_GATE, Tournament.ROLLED_BACK);
        assertThat(result.of(A).message()).endsWith("the agreement's upper bound is below 0.9500: its gates can no longer clear");
        assertThat(result.of(B).message()).contains("the error rate's lower bound is above 0.0100");
        assertThat(result.of(C).message()).contains("the invalid-output rate's lower bound is above 0.0200");
        assertThat(decide(entrant(A, 1.0, UNDECIDED), entrant(B, 1.0, BELOW)).exhausted()).isFalse();
    }

    @Test
    void badInputIsRefused() {
        assertThatThrownBy(() -> Tournament.decide(RULES, List.of(), Set.of(), null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> decide(entrant(A, 1.0, CLEARS), entrant(A, 2.0, CLEARS)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("named twice");
        assertThatThrownBy(() -> entrant(A, -1.0, CLEARS)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> entrant(A, Double.NaN, CLEARS)).isInstanceOf(IllegalArgumentException.class);
    }

    static Stream<Arguments> singleCandidates() {
        DelegationPolicy latency = new DelegationPolicy(A, POLICY.steps(), POLICY.stepInterval(), POLICY.minComparisons(),
                new DelegationPolicy.Gates(0.95, 0.01, 0.02, OptionalDouble.of(1.5)), POLICY.confidence(), false);
        StepFigures slow = new StepFigures(CLEARS.comparisons(), CLEARS.calls(), OptionalDouble.of(2.0));
        return Stream.of(
                Arguments.of("clears", POLICY, CLEARS, HOUR),
                Arguments.of("clears, just", POLICY, CLEARS_LOW, HOUR),
                Arguments.of("clears at exactly stepInterval", POLICY, CLEARS, Duration.ofMinutes(10)),
                Arguments.of("enough comparisons, too early", POLICY, CLEARS_HIGH, Duration.ofMinutes(9)),
                Arguments.of("long enough, too few comparisons", POLICY, FEW, HOUR),
                Arguments.of("no comparison yet", POLICY, agreeing(0, 0), HOUR),
                Arguments.of("exactly minComparisons, error bound not yet under 1%", POLICY, agreeing(200, 0), HOUR),
                Arguments.of("undecided", POLICY, UNDECIDED, HOUR),
                Arguments.of("agreement below, even early", POLICY, BELOW, Duration.ofMinutes(1)),
                Arguments.of("agreement below on few comparisons", POLICY, agreeing(2, 8), Duration.ofMinutes(1)),
                Arguments.of("errors", POLICY, figures(new Comparisons(900, 0, 0, 0), 100), HOUR),
                Arguments.of("shadow call errors", POLICY, figures(new Comparisons(900, 0, 0, 100), 0), HOUR),
                Arguments.of("invalid output", POLICY, figures(new Comparisons(900, 0, 100, 0), 0), HOUR),
                Arguments.of("latency gate, ratio not measured while shadowing", latency, CLEARS, HOUR),
                Arguments.of("latency above its gate", latency, slow, HOUR),
                Arguments.of("latency above its gate, too early", latency, slow, Duration.ofMinutes(5)));
    }

    /** One candidate is today's delegation: its shadowing look and the tournament agree on every case, with the same reason. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("singleCandidates")
    void oneCandidateDecidesAsTheSingleDelegationsShadowingDoes(String name, DelegationPolicy policy, StepFigures figures,
            Duration elapsed) {
        Instant start = Instant.parse("2026-12-01T10:00:00Z");
        DelegationState shadowing = DelegationDecision.decide(null, policy, CandidateReadiness.READY, Optional.empty(), start)
                .state();
        assertThat(shadowing.phase()).isEqualTo(DelegationPhase.Shadowing);
        Decision single = DelegationDecision.decide(shadowing, policy, CandidateReadiness.READY, Optional.of(figures),
                start.plus(elapsed)).decision();

        Tournament.Standing standing = Tournament.decide(Tournament.Rules.of(policy), List.of(new Entrant(A, 1.0, figures, elapsed)),
                Set.of(), null).of(A);

        State expected = switch (single.action()) {
            case Step -> Chosen;
            case RollBack -> Eliminated;
            case Hold -> Competing;
            default -> throw new AssertionError("unexpected " + single);
        };
        assertThat(standing.state()).as(single.message()).isEqualTo(expected);
        assertThat(standing.reason()).isEqualTo(single.reason());
        // the figures status shows are the same too
        assertThat(standing.figures()).isEqualTo(DelegationDecision.decide(shadowing, policy, CandidateReadiness.READY,
                Optional.of(figures), start.plus(elapsed)).state().history().get(0));
    }

    @Test
    void theSingleCaseTableCoversEveryOutcome() {
        // so that the equivalence above is not vacuous: each state and reason a shadowing look can give appears
        Set<String> reasons = new HashSet<>();
        singleCandidates().forEach(arguments -> {
            Object[] values = arguments.get();
            DelegationPolicy policy = (DelegationPolicy) values[1];
            reasons.add(Tournament.decide(Tournament.Rules.of(policy),
                    List.of(new Entrant(A, 1.0, (StepFigures) values[2], (Duration) values[3])), Set.of(), null).of(A).reason());
        });
        assertThat(reasons).containsExactlyInAnyOrder(Decision.GATES_PASSED, Decision.COLLECTING_EVIDENCE, Decision.INCONCLUSIVE,
                Decision.AGREEMENT_BELOW_GATE, Decision.ERROR_RATE_ABOVE_GATE, Decision.INVALID_OUTPUT_RATE_ABOVE_GATE,
                Decision.LATENCY_ABOVE_GATE);
    }

    @Test
    void oneCandidateRolledBackIsRolledBackAsTheSingleDelegationStays() {
        Result result = Tournament.decide(RULES, List.of(entrant(A, 1.0, CLEARS)), Set.of(A), A);
        assertThat(result.chosen()).isEmpty();
        assertThat(result.of(A).state()).isEqualTo(RolledBack);
        assertThat(result.exhausted()).isTrue();
    }
}
