package io.slmfleet.economics;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.slmfleet.delegation.figures.CounterAccumulator.Series;

/**
 * What counters grew by over the last window, from the totals read now and then (a {@link
 * io.slmfleet.delegation.figures.CounterAccumulator}'s, which only grow).
 * <p>
 * Keeps the totals of each read back to the last one at or before the window's start, so that the increments span the
 * whole window as soon as reads go back that far; until then they span the reads there are, and {@link
 * Increments#since} says from when. One per AgentRoute; reads come every few seconds to minutes, so an hour keeps at
 * most a few hundred of them.
 */
public final class SlidingIncrements {

    /** The growth of each series from since to until. */
    public record Increments(Instant since, Instant until, Map<Series, Double> bySeries) {
        public Increments {
            bySeries = Map.copyOf(bySeries);
        }
    }

    private record Read(Instant time, Map<Series, Double> totals) {
    }

    private final Duration window;
    /** In time order. */
    private final List<Read> reads = new ArrayList<>();

    public SlidingIncrements(Duration window) {
        this.window = window;
    }

    /** Records the totals read at time (reads come in time order) and returns the increments over the window ending then. */
    public synchronized Increments read(Instant time, Map<Series, Double> totals) {
        reads.add(new Read(time, Map.copyOf(totals)));
        Instant windowStart = time.minus(window);
        // the oldest read kept is the last one at or before the window's start
        while (reads.size() > 1 && !reads.get(1).time().isAfter(windowStart)) {
            reads.remove(0);
        }
        Read first = reads.get(0);
        Map<Series, Double> increments = new HashMap<>();
        totals.forEach((series, total) -> increments.put(series, total - first.totals().getOrDefault(series, 0.0)));
        return new Increments(first.time(), time, increments);
    }
}
