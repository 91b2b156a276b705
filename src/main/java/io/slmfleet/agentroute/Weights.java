package io.slmfleet.agentroute;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Moves the weight of a route's unready targets to its ready ones.
 * <p>
 * The rule: let T be the sum of the spec weights of all the route's targets and S that of its ready targets. Each ready
 * target with weight w gets w * T / S, rounded down; what the rounding left of T goes, one by one, to the targets with
 * the largest fractional parts (the earlier target first on a tie). So the effective weights keep the spec ratios among
 * ready targets as closely as integers allow, always sum to T (all targets ready: every weight is unchanged), and a
 * ready target with a weight above 0 never drops to 0. A target with weight 0 never receives traffic. When S is 0 the
 * route has no target: it falls back to the LLM, if the fallback covers it.
 */
public final class Weights {

    private Weights() {
    }

    /**
     * @param weights the spec weights, in the route's order
     * @param ready whether each target is ready, in the same order
     * @return the effective weights, in the same order, 0 for unready targets
     */
    public static List<Integer> redistribute(List<Integer> weights, List<Boolean> ready) {
        if (weights.size() != ready.size()) {
            throw new IllegalArgumentException("one readiness per weight");
        }
        long total = weights.stream().mapToLong(Integer::longValue).sum();
        long readyTotal = IntStream.range(0, weights.size()).filter(ready::get).mapToLong(weights::get).sum();
        List<Integer> effective = new ArrayList<>(weights.stream().map(w -> 0).toList());
        if (readyTotal == 0) {
            return effective;
        }
        long assigned = 0;
        List<long[]> remainders = new ArrayList<>(); // {index, remainder of w * T / S}
        for (int i = 0; i < weights.size(); i++) {
            if (ready.get(i) && weights.get(i) > 0) {
                long scaled = weights.get(i) * total;
                effective.set(i, (int) (scaled / readyTotal));
                assigned += scaled / readyTotal;
                remainders.add(new long[] { i, scaled % readyTotal });
            }
        }
        remainders.sort(Comparator.<long[]> comparingLong(r -> -r[1]).thenComparingLong(r -> r[0]));
        for (int k = 0; assigned < total; k++, assigned++) {
            int index = (int) remainders.get(k)[0];
            effective.set(index, effective.get(index) + 1);
        }
        return effective;
    }
}
