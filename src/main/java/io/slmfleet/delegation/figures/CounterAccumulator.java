package io.slmfleet.delegation.figures;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Sums the increments of counters read from several router pods, surviving counter resets.
 * <p>
 * Each pod's counters start at 0 when its router starts. For each pod and series the accumulator remembers the value
 * last read; a higher value adds the difference, a lower one means the router restarted and its counter counted from 0
 * since, so the whole value is added (as Prometheus' increase() does). A pod seen for the first time adds its whole
 * value: it is a new or restarted pod whose counters began at 0. A pod that goes away keeps what it added. So totals
 * only grow, and the difference of two totals is what all pods counted in between (up to the increments of a pod that
 * restarted twice between two reads, which no reader of counters can see).
 */
public final class CounterAccumulator {

    /** A series: metric name and labels (sorted). */
    public record Series(String name, Map<String, String> labels) {
        public Series {
            labels = Map.copyOf(labels);
        }
    }

    private final Map<String, Map<Series, Double>> lastSeen = new HashMap<>();
    private final Map<Series, Double> totals = new HashMap<>();

    /** Adds what the pod's counters grew by since its last read. */
    public synchronized void observe(String pod, Map<Series, Double> counters) {
        Map<Series, Double> previous = lastSeen.computeIfAbsent(pod, name -> new HashMap<>());
        counters.forEach((series, value) -> {
            Double before = previous.get(series);
            double increment = before == null || value < before ? value : value - before;
            totals.merge(series, increment, Double::sum);
            previous.put(series, value);
        });
    }

    /** Forgets the last values of pods that no longer run (what they added stays in the totals). */
    public synchronized void retainPods(Set<String> pods) {
        lastSeen.keySet().retainAll(pods);
    }

    /** The sum of all pods' increments per series, since the accumulator was made. */
    public synchronized Map<Series, Double> totals() {
        return Map.copyOf(totals);
    }
}
