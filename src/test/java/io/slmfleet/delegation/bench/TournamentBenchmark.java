package io.slmfleet.delegation.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.Random;
import java.util.Set;

import io.slmfleet.delegation.Candidate;
import io.slmfleet.delegation.CandidateCalls;
import io.slmfleet.delegation.Comparisons;
import io.slmfleet.delegation.DelegationPolicy;
import io.slmfleet.delegation.StepFigures;
import io.slmfleet.delegation.Tournament;

/**
 * The tournament rule by simulation (issue 18's benchmark): each run is one tournament of three candidates with true
 * agreement 0.99, 0.97 and 0.90 and cost 3, 1 and 0.5 per 1,000 requests, gate minAgreement 0.95 at confidence 0.95
 * (minComparisons 200, maxErrorRate 0.01 and maxInvalidOutputRate 0.02 at their defaults, which the simulated
 * candidates pass: they never fail and never answer invalid output; no latency gate; stepInterval 0, since a
 * simulation counted in comparisons has no clock). Each step is one sampled request compared for every candidate still
 * shadowed (independent Bernoulli agreements), then one look of {@link Tournament#decide}; a candidate stops being
 * shadowed once it is Eliminated. A run ends at a choice, when every candidate is out, or at the cap.
 * <p>
 * It prints the share of runs choosing each candidate, none, or hitting the cap, and the median and p95 comparisons to
 * a decision; once for the operator's rule and once for the literal reading, "the first candidate whose gates
 * clear" (the cheapest of those that cleared at the first look where any did), read off the same runs: both shadow the
 * same candidates until the first clears, so the literal rule's decision is where the run would have stopped.
 * <p>
 * Run: {@code mvn -B -o -q test-compile && java -cp target/classes:target/test-classes
 * io.slmfleet.delegation.bench.TournamentBenchmark [runs] [seed] [cap]} (defaults 2000, 18, 20000).
 */
public final class TournamentBenchmark {

    static final double[] TRUE_AGREEMENT = { 0.99, 0.97, 0.90 };
    static final double[] COST_PER_1K = { 3, 1, 0.5 };
    static final Candidate[] CANDIDATES = { new Candidate("invoice-parser", "accurate"),
        new Candidate("invoice-parser", "good-enough"), new Candidate("invoice-parser", "cheap") };
    static final Tournament.Rules RULES = new Tournament.Rules(
            new DelegationPolicy.Gates(0.95, 0.01, 0.02, OptionalDouble.empty()), 0.95, 200, Duration.ZERO);
    static final int NONE = -1;
    static final int CAPPED = -2;

    /** Which candidate a rule chose (its index, NONE when every one was out, CAPPED) and after how many comparisons. */
    record Outcome(int chosen, long comparisons) {
    }

    record Run(Outcome operator, Outcome firstToClear) {
    }

    public static void main(String[] args) throws IOException {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        long seed = args.length > 1 ? Long.parseLong(args[1]) : 18;
        int cap = args.length > 2 ? Integer.parseInt(args[2]) : 20_000;
        String loadBefore = loadAverage();
        System.out.printf(Locale.ROOT, "%d tournaments, seed %d, cap %d comparisons; minAgreement %.2f, confidence %.2f, "
                + "minComparisons %d, maxErrorRate %.2f, maxInvalidOutputRate %.2f%n", runs, seed, cap,
                RULES.gates().minAgreement(), RULES.confidence(), RULES.minComparisons(), RULES.gates().maxErrorRate(),
                RULES.gates().maxInvalidOutputRate());
        for (int i = 0; i < CANDIDATES.length; i++) {
            System.out.printf(Locale.ROOT, "  %-28s true agreement %.2f, cost %.2f per 1k%n", CANDIDATES[i].label(),
                    TRUE_AGREEMENT[i], COST_PER_1K[i]);
        }
        Random random = new Random(seed);
        long started = System.nanoTime();
        List<Run> results = new ArrayList<>();
        for (int run = 0; run < runs; run++) {
            results.add(simulate(random, cap));
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.println();
        System.out.printf(Locale.ROOT, "%-40s %9s %9s %9s %7s %7s %8s %8s%n", "rule", "0.99 @3", "0.97 @1", "0.90 @0.5",
                "none", "capped", "median", "p95");
        report("cheapest good enough (operator)", results.stream().map(Run::operator).toList());
        report("first to clear (literal reading)", results.stream().map(Run::firstToClear).toList());
        System.out.println();
        System.out.println("shares of runs; median and p95: comparisons (sampled requests) to a choice, over the runs that chose");
        System.out.printf(Locale.ROOT, "targets: the 0.97 candidate chosen in >= 95%% of runs, the 0.90 one in <= 1%%%n");
        System.out.printf(Locale.ROOT, "%.1f s; load average before: %s, after: %s (a simulation's verdict does not depend on it)%n",
                seconds, loadBefore, loadAverage());
    }

    static Run simulate(Random random, int cap) {
        int n = CANDIDATES.length;
        long[] agree = new long[n];
        long[] total = new long[n];
        boolean[] shadowed = { true, true, true };
        Outcome firstToClear = null;
        for (long step = 1; step <= cap; step++) {
            for (int i = 0; i < n; i++) {
                // a draw for every candidate at every step, so the streams stay the same whoever is shadowed
                boolean agrees = random.nextDouble() < TRUE_AGREEMENT[i];
                if (shadowed[i]) {
                    agree[i] += agrees ? 1 : 0;
                    total[i]++;
                }
            }
            List<Tournament.Entrant> entrants = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                Comparisons comparisons = new Comparisons(agree[i], total[i] - agree[i], 0, 0);
                entrants.add(new Tournament.Entrant(CANDIDATES[i], COST_PER_1K[i], new StepFigures(comparisons,
                        new CandidateCalls(total[i], 0), OptionalDouble.empty()), Duration.ZERO));
            }
            Tournament.Result result = Tournament.decide(RULES, entrants, Set.of(), null);
            if (firstToClear == null) {
                int cleared = cheapestCleared(result);
                if (cleared != NONE) {
                    firstToClear = new Outcome(cleared, step);
                }
            }
            if (result.chosen().isPresent()) {
                Outcome operator = new Outcome(Arrays.asList(CANDIDATES).indexOf(result.chosen().get()), step);
                return new Run(operator, firstToClear);
            }
            if (result.exhausted()) {
                Outcome none = new Outcome(NONE, step);
                return new Run(none, firstToClear == null ? none : firstToClear);
            }
            for (int i = 0; i < n; i++) {
                shadowed[i] = result.standings().get(i).state() == Tournament.State.Competing;
            }
        }
        Outcome capped = new Outcome(CAPPED, cap);
        return new Run(capped, firstToClear == null ? capped : firstToClear);
    }

    /**
     * The cheapest candidate whose gates cleared at this look, or NONE: the chosen one if there is one (it is the
     * cheapest that cleared), else the cheapest of those waiting for a cheaper one.
     */
    static int cheapestCleared(Tournament.Result result) {
        int best = NONE;
        for (int i = 0; i < CANDIDATES.length; i++) {
            Tournament.Standing standing = result.standings().get(i);
            boolean cleared = standing.state() == Tournament.State.Chosen
                    || Tournament.CHEAPER_STILL_COMPETING.equals(standing.reason());
            if (cleared && (best == NONE || COST_PER_1K[i] < COST_PER_1K[best])) {
                best = i;
            }
        }
        return best;
    }

    static void report(String name, List<Outcome> outcomes) {
        int runs = outcomes.size();
        long[] chose = new long[CANDIDATES.length];
        long none = 0;
        long capped = 0;
        List<Long> comparisons = new ArrayList<>();
        for (Outcome outcome : outcomes) {
            if (outcome.chosen() == NONE) {
                none++;
            } else if (outcome.chosen() == CAPPED) {
                capped++;
            } else {
                chose[outcome.chosen()]++;
                comparisons.add(outcome.comparisons());
            }
        }
        long[] sorted = comparisons.stream().mapToLong(Long::longValue).sorted().toArray();
        System.out.printf(Locale.ROOT, "%-40s %8.2f%% %8.2f%% %8.2f%% %6.2f%% %6.2f%% %8s %8s%n", name,
                100.0 * chose[0] / runs, 100.0 * chose[1] / runs, 100.0 * chose[2] / runs, 100.0 * none / runs,
                100.0 * capped / runs, quantile(sorted, 0.5), quantile(sorted, 0.95));
    }

    /** Nearest rank. */
    static String quantile(long[] sorted, double q) {
        if (sorted.length == 0) {
            return "-";
        }
        int rank = (int) Math.ceil(q * sorted.length);
        return String.valueOf(sorted[Math.max(0, rank - 1)]);
    }

    static String loadAverage() throws IOException {
        Path loadavg = Path.of("/proc/loadavg");
        if (!Files.isReadable(loadavg)) {
            return "unknown (no /proc/loadavg)";
        }
        String[] fields = Files.readString(loadavg).trim().split("\\s+");
        return fields[0] + " " + fields[1] + " " + fields[2];
    }

    private TournamentBenchmark() {
    }
}
