package io.slmfleet.delegation.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.SplittableRandom;

import io.slmfleet.api.v1alpha1.AgentRouteStatus.DelegationPhase;
import io.slmfleet.delegation.Candidate;
import io.slmfleet.delegation.CandidateCalls;
import io.slmfleet.delegation.CandidateReadiness;
import io.slmfleet.delegation.Comparisons;
import io.slmfleet.delegation.DelegationDecision;
import io.slmfleet.delegation.DelegationPolicy;
import io.slmfleet.delegation.DelegationState;
import io.slmfleet.delegation.StepFigures;

/**
 * The decision rule's error rates, by simulation: each run is one delegation whose comparisons agree at a true rate,
 * looked at once a minute, through shadowing and the steps [5, 25, 50, 100] (stepInterval 10m, minComparisons 200,
 * minAgreement 0.95, confidence 0.95; the error and invalid-output gates left open so that agreement alone decides).
 * It prints, for candidates 2 and 1 points below the gate, at it, and 3 points above, the share of runs that got live traffic
 * (passed the first check), that were promoted or rolled back within a day, and the comparisons and time promotion
 * took; once with the operator's rule
 * ({@link DelegationDecision}, anytime-valid confidence sequences) and once with the same rule on a fixed-sample Wilson
 * interval re-checked at every look.
 * <p>
 * Run: {@code mvn -B -o -q test-compile && java -cp target/classes:target/test-classes
 * io.slmfleet.delegation.bench.DelegationBenchmark [runs] [comparisons per minute]} (defaults 2000 and 20).
 */
public final class DelegationBenchmark {

    static final double MIN_AGREEMENT = 0.95;
    static final double CONFIDENCE = 0.95;
    static final List<Integer> STEPS = List.of(5, 25, 50, 100);
    static final Duration STEP_INTERVAL = Duration.ofMinutes(10);
    static final long MIN_COMPARISONS = 200;
    /** A run still undecided after this many minutes is counted as neither promoted nor rolled back. */
    static final int HORIZON_MINUTES = 24 * 60;
    static final Instant START = Instant.parse("2026-12-01T00:00:00Z");
    static final Candidate CANDIDATE = new Candidate("invoice-parser", "invoice-v4");

    /** How one simulated delegation ended. */
    record Run(boolean gotLiveTraffic, boolean promoted, boolean rolledBack, long comparisons, int minutes) {
    }

    /** A decision rule: the operator's, or the fixed-sample one it replaces. */
    interface Rule {
        Run simulate(double trueAgreement, int perMinute, SplittableRandom random);
    }

    public static void main(String[] args) {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        int perMinute = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        System.out.printf(Locale.ROOT, "minAgreement %.2f, confidence %.2f, steps %s, stepInterval %s, minComparisons %d, "
                + "%d comparisons a minute, %d runs per case%n%n", MIN_AGREEMENT, CONFIDENCE, STEPS, STEP_INTERVAL,
                MIN_COMPARISONS, perMinute, runs);
        System.out.printf(Locale.ROOT, "%-34s %-8s %9s %9s %9s %10s %12s %12s%n", "rule", "true", "live", "promoted",
                "rolled", "undecided", "median cmp", "median time");
        for (double trueAgreement : new double[] { MIN_AGREEMENT - 0.02, MIN_AGREEMENT - 0.01, MIN_AGREEMENT, MIN_AGREEMENT + 0.03 }) {
            report("confidence sequence (operator)", trueAgreement, runs, perMinute, DelegationBenchmark::operator);
            report("Wilson, re-checked every look", trueAgreement, runs, perMinute, DelegationBenchmark::wilson);
        }
        System.out.println();
        System.out.println("live: share of runs whose candidate passed shadowing and got live traffic; promoted: passed every step;");
        System.out.println("median cmp / time: comparisons and minutes to promotion, over the promoted runs.");
    }

    static void report(String name, double trueAgreement, int runs, int perMinute, Rule rule) {
        // the same seed for both rules: the same comparison streams
        SplittableRandom random = new SplittableRandom(Double.doubleToLongBits(trueAgreement));
        int live = 0;
        int promoted = 0;
        int rolledBack = 0;
        long[] comparisons = new long[runs];
        long[] minutes = new long[runs];
        int promotedCount = 0;
        for (int i = 0; i < runs; i++) {
            Run run = rule.simulate(trueAgreement, perMinute, random.split());
            live += run.gotLiveTraffic() ? 1 : 0;
            rolledBack += run.rolledBack() ? 1 : 0;
            if (run.promoted()) {
                promoted++;
                comparisons[promotedCount] = run.comparisons();
                minutes[promotedCount++] = run.minutes();
            }
        }
        System.out.printf(Locale.ROOT, "%-34s %-8.2f %8.2f%% %8.2f%% %8.2f%% %9.2f%% %12s %12s%n", name, trueAgreement,
                100.0 * live / runs, 100.0 * promoted / runs, 100.0 * rolledBack / runs,
                100.0 * (runs - promoted - rolledBack) / runs, median(comparisons, promotedCount),
                promotedCount == 0 ? "-" : median(minutes, promotedCount) + " min");
    }

    /** The operator's rule: DelegationDecision, reading the window's counts since it started, once a minute. */
    static Run operator(double trueAgreement, int perMinute, SplittableRandom random) {
        DelegationPolicy policy = new DelegationPolicy(CANDIDATE, STEPS, STEP_INTERVAL, MIN_COMPARISONS,
                new DelegationPolicy.Gates(MIN_AGREEMENT, 1, 1, OptionalDouble.empty()), CONFIDENCE, false);
        DelegationState state = null;
        long agree = 0;
        long total = 0;
        long windowAgree = 0;
        long windowTotal = 0;
        boolean live = false;
        for (int minute = 0; minute <= HORIZON_MINUTES; minute++) {
            Comparisons window = new Comparisons(agree - windowAgree, (total - agree) - (windowTotal - windowAgree), 0, 0);
            Instant before = state == null ? null : state.windowStart();
            state = DelegationDecision.decide(state, policy, CandidateReadiness.READY, Optional.of(new StepFigures(window,
                    new CandidateCalls(window.total(), 0), OptionalDouble.empty())),
                    START.plus(Duration.ofMinutes(minute))).state();
            if (!state.windowStart().equals(before)) {
                windowAgree = agree;
                windowTotal = total;
            }
            live |= state.weight() > 0;
            if (state.phase() == DelegationPhase.Promoted || state.phase() == DelegationPhase.RolledBack) {
                return new Run(live, state.phase() == DelegationPhase.Promoted, state.phase() == DelegationPhase.RolledBack,
                        total, minute);
            }
            for (int i = 0; i < perMinute; i++) {
                agree += random.nextDouble() < trueAgreement ? 1 : 0;
            }
            total += perMinute;
        }
        return new Run(live, false, false, total, HORIZON_MINUTES);
    }

    /**
     * The same windows, interval, minimum and roll-back-at-any-look, on a 95% Wilson score interval: the fixed-sample
     * interval a dashboard would show, which covers the rate at one pre-chosen sample size, not at every look.
     */
    static Run wilson(double trueAgreement, int perMinute, SplittableRandom random) {
        double z = 1.959963984540054;
        int windows = STEPS.size() + 1; // shadowing, then each step
        long total = 0;
        int minute = 0;
        for (int window = 0; window < windows; window++) {
            long windowAgree = 0;
            long windowTotal = 0;
            int windowStart = minute;
            while (true) {
                if (windowTotal > 0) {
                    double upper = wilsonBound(windowAgree, windowTotal, z);
                    double lower = wilsonBound(windowAgree, windowTotal, -z);
                    if (upper < MIN_AGREEMENT) {
                        return new Run(window > 0, false, true, total, minute);
                    }
                    boolean checkable = minute - windowStart >= STEP_INTERVAL.toMinutes() && windowTotal >= MIN_COMPARISONS;
                    if (checkable && lower >= MIN_AGREEMENT) {
                        break;
                    }
                }
                if (minute >= HORIZON_MINUTES) {
                    return new Run(window > 0, false, false, total, minute);
                }
                for (int i = 0; i < perMinute; i++) {
                    windowAgree += random.nextDouble() < trueAgreement ? 1 : 0;
                }
                windowTotal += perMinute;
                total += perMinute;
                minute++;
            }
        }
        return new Run(true, true, false, total, minute);
    }

    /** Wilson score bound: the lower with a negative z, the upper with a positive one. */
    static double wilsonBound(long successes, long trials, double z) {
        double p = (double) successes / trials;
        double centre = p + z * z / (2.0 * trials);
        double margin = Math.abs(z) * Math.sqrt(p * (1 - p) / trials + z * z / (4.0 * trials * trials));
        return (centre + Math.signum(z) * margin) / (1 + z * z / trials);
    }

    static String median(long[] values, int count) {
        if (count == 0) {
            return "-";
        }
        long[] sorted = Arrays.copyOf(values, count);
        Arrays.sort(sorted);
        return String.valueOf(count % 2 == 1 ? sorted[count / 2] : (sorted[count / 2 - 1] + sorted[count / 2]) / 2);
    }

    private DelegationBenchmark() {
    }
}
