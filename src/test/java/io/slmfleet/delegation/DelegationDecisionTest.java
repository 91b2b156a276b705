package io.slmfleet.delegation;

import static io.slmfleet.api.v1alpha1.AgentRouteStatus.DelegationPhase.Paused;
import static io.slmfleet.api.v1alpha1.AgentRouteStatus.DelegationPhase.Progressing;
import static io.slmfleet.api.v1alpha1.AgentRouteStatus.DelegationPhase.Promoted;
import static io.slmfleet.api.v1alpha1.AgentRouteStatus.DelegationPhase.RolledBack;
import static io.slmfleet.api.v1alpha1.AgentRouteStatus.DelegationPhase.Shadowing;
import static io.slmfleet.api.v1alpha1.AgentRouteStatus.DelegationPhase.Waiting;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.IntFunction;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.slmfleet.api.v1alpha1.AgentRouteStatus;
import io.slmfleet.api.v1alpha1.AgentRouteStatus.DelegationPhase;
import io.slmfleet.delegation.figures.CounterAccumulator;

/**
 * The decision on simulated counter streams: the router's cumulative comparison counts minute by minute, read once a
 * minute the way a figures source does (the increments since the window started), and what the delegation is at chosen
 * minutes.
 */
class DelegationDecisionTest {

    static final Instant START = Instant.parse("2026-12-01T10:00:00Z");
    static final Candidate V4 = new Candidate("invoice-parser", "invoice-v4");
    static final Candidate V5 = new Candidate("invoice-parser", "invoice-v5");
    static final DelegationPolicy POLICY = new DelegationPolicy(V4, List.of(5, 25, 50, 100), Duration.ofMinutes(10), 200,
            new DelegationPolicy.Gates(0.95, 0.01, 0.02, OptionalDouble.empty()), 0.95, false);

    /** What the router has counted by a minute (cumulative), or null when its metrics cannot be read then. */
    interface CounterStream {
        Comparisons totalsAt(int minute);
    }

    /** Per minute: agree, disagree, invalid, error comparisons. */
    static CounterStream steady(long agree, long disagree, long invalid, long error) {
        return minute -> new Comparisons(agree * minute, disagree * minute, invalid * minute, error * minute);
    }

    static CounterStream unreadableDuring(CounterStream stream, int from, int to) {
        return minute -> minute >= from && minute <= to ? null : stream.totalsAt(minute);
    }

    /**
     * Two router pods, a counting 50 agreements a minute and b 49 and 1 disagreement; b restarts right after the read
     * of minute 4, so from minute 5 its counters start again from 0. The stream is what the accumulator sums.
     */
    static CounterStream twoPodsOneRestarting() {
        CounterAccumulator accumulator = new CounterAccumulator();
        return minute -> {
            accumulator.observe("router-a", Map.of(series("agree"), 50.0 * minute));
            int sinceStart = minute >= 5 ? minute - 4 : minute;
            accumulator.observe("router-b", Map.of(series("agree"), 49.0 * sinceStart, series("disagree"), 1.0 * sinceStart));
            Map<CounterAccumulator.Series, Double> totals = accumulator.totals();
            return new Comparisons(Math.round(totals.getOrDefault(series("agree"), 0.0)),
                    Math.round(totals.getOrDefault(series("disagree"), 0.0)), 0, 0);
        };
    }

    static CounterAccumulator.Series series(String verdict) {
        return new CounterAccumulator.Series("slmfleet_router_comparisons_total", Map.of("verdict", verdict));
    }

    /** What one look sees besides the counts. */
    record World(boolean ready, boolean paused, Candidate candidate, OptionalDouble latencyRatio) {
    }

    static final IntFunction<World> NORMAL = minute -> new World(true, false, V4, OptionalDouble.empty());

    record Expect(int minute, DelegationPhase phase, int weight, String reason) {
    }

    static Expect at(int minute, DelegationPhase phase, int weight, String reason) {
        return new Expect(minute, phase, weight, reason);
    }

    static Stream<Arguments> scenarios() {
        return Stream.of(
                Arguments.of("promoted step by step at 99% agreement", steady(99, 1, 0, 0), NORMAL, POLICY, List.of(
                        at(0, Shadowing, 0, Decision.NEW_CANDIDATE),
                        at(9, Shadowing, 0, Decision.COLLECTING_EVIDENCE),
                        at(10, Progressing, 5, Decision.GATES_PASSED),
                        at(19, Progressing, 5, Decision.COLLECTING_EVIDENCE),
                        at(20, Progressing, 25, Decision.GATES_PASSED),
                        at(30, Progressing, 50, Decision.GATES_PASSED),
                        at(40, Progressing, 100, Decision.GATES_PASSED),
                        at(50, Promoted, 100, Decision.GATES_PASSED),
                        at(70, Promoted, 100, Decision.GATES_PASSED))),
                Arguments.of("a router pod restarting (its counters reset) loses no comparison", twoPodsOneRestarting(), NORMAL,
                        POLICY, List.of(
                                at(9, Shadowing, 0, Decision.COLLECTING_EVIDENCE),
                                at(10, Progressing, 5, Decision.GATES_PASSED),
                                at(20, Progressing, 25, Decision.GATES_PASSED))),
                Arguments.of("rolled back at the first look at 80% agreement, without waiting for the interval",
                        steady(80, 20, 0, 0), NORMAL, POLICY, List.of(
                                at(1, RolledBack, 0, Decision.AGREEMENT_BELOW_GATE),
                                at(30, RolledBack, 0, Decision.AGREEMENT_BELOW_GATE))),
                Arguments.of("rolled back on errors", steady(90, 0, 0, 10), NORMAL, POLICY, List.of(
                        at(1, RolledBack, 0, Decision.ERROR_RATE_ABOVE_GATE))),
                Arguments.of("rolled back on invalid output", steady(90, 0, 10, 0), NORMAL, POLICY, List.of(
                        at(1, RolledBack, 0, Decision.INVALID_OUTPUT_RATE_ABOVE_GATE))),
                Arguments.of("few comparisons: held past the interval, then until a 1% error gate is shown (about 680 "
                        + "error-free comparisons)", steady(9, 0, 0, 0), NORMAL, POLICY, List.of(
                                at(15, Shadowing, 0, Decision.COLLECTING_EVIDENCE),
                                at(22, Shadowing, 0, Decision.COLLECTING_EVIDENCE),
                                at(23, Shadowing, 0, Decision.INCONCLUSIVE),
                                at(60, Shadowing, 0, Decision.INCONCLUSIVE),
                                at(80, Progressing, 5, Decision.COLLECTING_EVIDENCE))),
                Arguments.of("agreement at the gate: neither promoted nor rolled back", steady(95, 5, 0, 0), NORMAL, POLICY, List.of(
                        at(10, Shadowing, 0, Decision.INCONCLUSIVE),
                        at(120, Shadowing, 0, Decision.INCONCLUSIVE))),
                Arguments.of("metrics unreadable at the check: held, never promoted on missing data",
                        unreadableDuring(steady(99, 1, 0, 0), 9, 13), NORMAL, POLICY, List.of(
                                at(10, Shadowing, 0, Decision.ANALYSIS_UNAVAILABLE),
                                at(13, Shadowing, 0, Decision.ANALYSIS_UNAVAILABLE),
                                at(14, Progressing, 5, Decision.GATES_PASSED))),
                Arguments.of("paused at a step keeps its share; resumed, the step counts anew", steady(99, 1, 0, 0),
                        (IntFunction<World>) minute -> new World(true, minute >= 15 && minute < 25, V4, OptionalDouble.empty()),
                        POLICY, List.of(
                                at(15, Paused, 5, Decision.PAUSED),
                                at(24, Paused, 5, Decision.PAUSED),
                                at(25, Progressing, 5, Decision.RESUMED),
                                at(34, Progressing, 5, Decision.COLLECTING_EVIDENCE),
                                at(35, Progressing, 25, Decision.GATES_PASSED))),
                Arguments.of("candidate unready mid-step: no traffic at once, back at its step when ready", steady(99, 1, 0, 0),
                        (IntFunction<World>) minute -> new World(minute != 15, false, V4, OptionalDouble.empty()), POLICY, List.of(
                                at(15, Waiting, 0, "SpecialistNotReady"),
                                at(16, Progressing, 5, Decision.CANDIDATE_READY),
                                at(25, Progressing, 5, Decision.COLLECTING_EVIDENCE),
                                at(26, Progressing, 25, Decision.GATES_PASSED))),
                Arguments.of("a new candidate starts over from shadowing", steady(99, 1, 0, 0),
                        (IntFunction<World>) minute -> new World(true, false, minute < 25 ? V4 : V5, OptionalDouble.empty()), POLICY,
                        List.of(
                                at(20, Progressing, 25, Decision.GATES_PASSED),
                                at(25, Shadowing, 0, Decision.NEW_CANDIDATE),
                                at(35, Progressing, 5, Decision.GATES_PASSED))),
                Arguments.of("latency above its gate at a step's check rolls back", steady(99, 1, 0, 0),
                        (IntFunction<World>) minute -> new World(true, false, V4,
                                minute <= 10 ? OptionalDouble.empty() : OptionalDouble.of(2.0)), latencyGate(1.5), List.of(
                                at(10, Progressing, 5, Decision.GATES_PASSED),
                                at(19, Progressing, 5, Decision.COLLECTING_EVIDENCE),
                                at(20, RolledBack, 0, Decision.LATENCY_ABOVE_GATE))),
                Arguments.of("latency not measured at a step: held, not promoted", steady(99, 1, 0, 0), NORMAL, latencyGate(1.5),
                        List.of(
                                at(10, Progressing, 5, Decision.GATES_PASSED),
                                at(40, Progressing, 5, Decision.LATENCY_UNMEASURED))));
    }

    static DelegationPolicy latencyGate(double maxRatio) {
        return new DelegationPolicy(V4, POLICY.steps(), POLICY.stepInterval(), POLICY.minComparisons(),
                new DelegationPolicy.Gates(0.95, 0.01, 0.02, OptionalDouble.of(maxRatio)), POLICY.confidence(), false);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void playsTheStream(String name, CounterStream stream, IntFunction<World> world, DelegationPolicy policy, List<Expect> expected) {
        List<Expect> seen = new ArrayList<>();
        int lastMinute = expected.get(expected.size() - 1).minute();
        DelegationState state = null;
        Comparisons windowStartTotals = Comparisons.NONE;
        for (int minute = 0; minute <= lastMinute; minute++) {
            World now = world.apply(minute);
            DelegationPolicy current = new DelegationPolicy(now.candidate(), policy.steps(), policy.stepInterval(),
                    policy.minComparisons(), policy.gates(), policy.confidence(), now.paused());
            Comparisons totals = stream.totalsAt(minute);
            Optional<StepFigures> figures = totals == null ? Optional.empty()
                    : Optional.of(new StepFigures(minus(totals, windowStartTotals), shadowCalls(minus(totals, windowStartTotals)),
                            now.latencyRatio()));
            CandidateReadiness readiness = now.ready() ? CandidateReadiness.READY
                    : CandidateReadiness.notReady("SpecialistNotReady", "invoice-parser is not Ready");
            Instant windowBefore = state == null ? null : state.windowStart();
            DelegationDecision.Outcome outcome = DelegationDecision.decide(state, current, readiness, figures,
                    START.plus(Duration.ofMinutes(minute)));
            // the reconciler keeps the state in status between looks
            AgentRouteStatus.DelegationStatus status = DelegationStatuses.toStatus("parsing", outcome.state());
            assertThat(DelegationStatuses.fromStatus(status)).isEqualTo(outcome.state());
            state = DelegationStatuses.fromStatus(status);
            if (!state.windowStart().equals(windowBefore)) {
                // as a figures source does: a new window counts from the totals when it started
                windowStartTotals = totals == null ? Comparisons.NONE : totals;
            }
            assertThat(outcome.weight()).isEqualTo(state.weight());
            final int at = minute;
            if (expected.stream().anyMatch(expect -> expect.minute() == at)) {
                seen.add(at(minute, state.phase(), state.weight(), state.lastDecision().reason()));
            }
        }
        assertThat(seen).containsExactlyElementsOf(expected);
    }

    /** The streams here are shadowing traffic: one candidate call per comparison, failed when it errored. */
    static CandidateCalls shadowCalls(Comparisons comparisons) {
        return new CandidateCalls(comparisons.total(), comparisons.candidateError());
    }

    static StepFigures figures(Comparisons comparisons) {
        return new StepFigures(comparisons, shadowCalls(comparisons), OptionalDouble.empty());
    }

    static Comparisons minus(Comparisons totals, Comparisons start) {
        return new Comparisons(totals.agree() - start.agree(), totals.disagree() - start.disagree(),
                totals.candidateInvalid() - start.candidateInvalid(), totals.candidateError() - start.candidateError());
    }

    @Test
    void aRepeatedDecisionKeepsItsTimeSoASteadyHoldChangesOnlyTheFigures() {
        CounterStream stream = steady(99, 1, 0, 0);
        DelegationState state = null;
        for (int minute = 0; minute <= 5; minute++) {
            state = DelegationDecision.decide(state, POLICY, CandidateReadiness.READY,
                    Optional.of(figures(stream.totalsAt(minute))), START.plus(Duration.ofMinutes(minute))).state();
        }
        assertThat(state.lastDecision().reason()).isEqualTo(Decision.COLLECTING_EVIDENCE);
        assertThat(state.lastDecision().time()).isEqualTo(START.plus(Duration.ofMinutes(1)));
        assertThat(state.lastDecision().message()).isEqualTo("shadowing: 500 comparisons (200 needed), 5m of 10m");
        assertThat(state.history()).singleElement().satisfies(figures -> {
            assertThat(figures.comparisons()).isEqualTo(500);
            assertThat(figures.agreement()).isEqualTo(0.99);
            assertThat(figures.agreementLower()).isLessThan(0.99);
            assertThat(figures.errorRate()).isEqualTo(0.0);
        });
    }

    @Test
    void promotionTellsWhatToChangeInGit() {
        DelegationState state = null;
        CounterStream stream = steady(99, 1, 0, 0);
        Comparisons windowStart = Comparisons.NONE;
        for (int minute = 0; minute <= 50; minute++) {
            Instant before = state == null ? null : state.windowStart();
            state = DelegationDecision.decide(state, POLICY, CandidateReadiness.READY,
                    Optional.of(figures(minus(stream.totalsAt(minute), windowStart))),
                    START.plus(Duration.ofMinutes(minute))).state();
            if (!state.windowStart().equals(before)) {
                windowStart = stream.totalsAt(minute);
            }
        }
        assertThat(state.phase()).isEqualTo(Promoted);
        assertThat(state.lastDecision().action()).isEqualTo(Decision.Action.Promote);
        assertThat(state.lastDecision().message()).startsWith("the last step passed (1000 comparisons, agreement 0.9900 [")
                .endsWith("promoted at 100%. To make it permanent, move invoice-parser/invoice-v4 into the route's targets "
                        + "and remove its delegation");
        assertThat(state.history()).extracting(StepEvaluation::step).containsExactly(null, 0, 1, 2, 3);
        assertThat(state.history()).extracting(StepEvaluation::weight).containsExactly(0, 5, 25, 50, 100);
    }
}
