package io.slmfleet.curation;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.TreeMap;

/**
 * Decides, for a stream of kept examples it sees once, which go to eval, validation and train, deterministically and
 * in memory bounded by the number of strata times the eval size.
 * <p>
 * Each example gets a rank: a uniform number from the seed and the hash of its user turns (so the same example ranks
 * the same wherever it sits in the input), then its position in the stream (ties only with dedup {@code none}). While
 * the stream runs ({@link #add}), each stratum counts its examples and keeps the {@code evalSize} smallest ranks in a
 * bounded max-heap. At the end ({@link #plan}) the eval size is shared among strata in proportion to their counts
 * (largest remainder, ties by stratum name), and a stratum's eval set is its {@code quota} smallest ranks: exact size,
 * a uniform random sample of the stratum for the seed. In a second pass over the kept examples ({@link Plan#assign}),
 * in stream order, the examples not in eval go to validation systematically: the n-th of its stratum when
 * {@code floor(n × ratio)} steps up, so every stratum holds out its share to within one example.
 * <p>
 * Strata beyond {@value #MAX_STRATA} distinct values share one stratum, {@value #OTHER_STRATUM}.
 */
final class StratifiedSplit {

    static final int MAX_STRATA = 1000;
    static final String OTHER_STRATUM = "(other)";

    enum Set {
        train, validation, eval
    }

    /** An example's place in its stratum's ordering: smaller ranks go to eval first. */
    record Rank(double uniform, long position) implements Comparable<Rank> {
        @Override
        public int compareTo(Rank other) {
            int byUniform = Double.compare(uniform, other.uniform);
            return byUniform != 0 ? byUniform : Long.compare(position, other.position);
        }
    }

    private static final class Stratum {
        final int index;
        final String name;
        long count;
        final PriorityQueue<Rank> smallest = new PriorityQueue<>(Comparator.reverseOrder());

        Stratum(int index, String name) {
            this.index = index;
            this.name = name;
        }
    }

    private final int evalSize;
    private final double validationRatio;
    private final long seed;
    private final Map<String, Stratum> strata = new HashMap<>();
    private final List<Stratum> byIndex = new ArrayList<>();
    private long position;

    StratifiedSplit(int evalSize, double validationRatio, long seed) {
        this.evalSize = evalSize;
        this.validationRatio = validationRatio;
        this.seed = seed;
    }

    /** Records a kept example; returns its stratum's index and rank, to be handed to {@link Plan#assign} later. */
    Ticket add(String stratumName, long userKey) {
        Stratum stratum = strata.get(stratumName);
        if (stratum == null) {
            String name = strata.size() < MAX_STRATA - 1 ? stratumName : OTHER_STRATUM;
            stratum = strata.get(name);
            if (stratum == null) {
                stratum = new Stratum(byIndex.size(), name);
                strata.put(name, stratum);
                byIndex.add(stratum);
            }
        }
        Rank rank = new Rank(Hashing.uniform(seed, userKey), position++);
        stratum.count++;
        if (evalSize > 0) {
            if (stratum.smallest.size() < evalSize) {
                stratum.smallest.add(rank);
            } else if (rank.compareTo(stratum.smallest.peek()) < 0) {
                stratum.smallest.poll();
                stratum.smallest.add(rank);
            }
        }
        return new Ticket(stratum.index, rank);
    }

    /** What {@link #add} said about one example. */
    record Ticket(int stratum, Rank rank) {
    }

    long size() {
        return position;
    }

    Plan plan() {
        long total = position;
        int strataCount = byIndex.size();
        int[] quota = new int[strataCount];
        double[] remainder = new double[strataCount];
        int given = 0;
        for (Stratum stratum : byIndex) {
            double share = total == 0 ? 0 : (double) evalSize * stratum.count / total;
            quota[stratum.index] = (int) Math.floor(share);
            remainder[stratum.index] = share - quota[stratum.index];
            given += quota[stratum.index];
        }
        List<Stratum> byRemainder = new ArrayList<>(byIndex);
        byRemainder.sort(Comparator.<Stratum>comparingDouble(s -> -remainder[s.index]).thenComparing(s -> s.name));
        for (int i = 0; given < Math.min(evalSize, total) && i < byRemainder.size(); i++) {
            Stratum stratum = byRemainder.get(i);
            if (quota[stratum.index] < stratum.count) {
                quota[stratum.index]++;
                given++;
            }
        }
        Rank[] threshold = new Rank[strataCount];
        for (Stratum stratum : byIndex) {
            if (quota[stratum.index] > 0) {
                List<Rank> ranks = new ArrayList<>(stratum.smallest);
                ranks.sort(null);
                threshold[stratum.index] = ranks.get(quota[stratum.index] - 1);
            }
        }
        return new Plan(threshold, validationRatio, byIndex.stream().map(s -> s.name).toList());
    }

    /** The decided thresholds; {@link #assign} is called once per kept example, in the order they were added. */
    static final class Plan {
        private final Rank[] evalThreshold;
        private final double validationRatio;
        private final List<String> strataNames;
        private final long[] notEvalSeen;
        private final Map<String, long[]> counts = new TreeMap<>();

        private Plan(Rank[] evalThreshold, double validationRatio, List<String> strataNames) {
            this.evalThreshold = evalThreshold;
            this.validationRatio = validationRatio;
            this.strataNames = strataNames;
            this.notEvalSeen = new long[evalThreshold.length];
        }

        Set assign(Ticket ticket) {
            Set set;
            Rank threshold = evalThreshold[ticket.stratum()];
            if (threshold != null && ticket.rank().compareTo(threshold) <= 0) {
                set = Set.eval;
            } else {
                long seen = ++notEvalSeen[ticket.stratum()];
                boolean heldOut = Math.floor(seen * validationRatio) > Math.floor((seen - 1) * validationRatio);
                set = heldOut ? Set.validation : Set.train;
            }
            counts.computeIfAbsent(strataNames.get(ticket.stratum()), name -> new long[Set.values().length])[set.ordinal()]++;
            return set;
        }

        /** Per stratum (sorted by name): examples in train, validation, eval, as assigned so far. */
        Map<String, long[]> countsByStratum() {
            return counts;
        }
    }
}
