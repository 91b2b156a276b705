package io.slmfleet.router.table;

import java.util.List;
import java.util.random.RandomGenerator;

/** A route ready to serve: its targets with cumulative weights for the weighted pick, and its compiled schema. */
public final class ActiveRoute {

    private final String task;
    private final List<ActiveTarget> targets;
    private final long timeoutMillis;
    private final int retries;
    private final OutputSchema schema;

    ActiveRoute(String task, List<ActiveTarget> targets, long timeoutMillis, int retries, OutputSchema schema) {
        this.task = task;
        this.targets = List.copyOf(targets);
        this.timeoutMillis = timeoutMillis;
        this.retries = retries;
        this.schema = schema;
    }

    public String task() {
        return task;
    }

    public List<ActiveTarget> targets() {
        return targets;
    }

    public long timeoutMillis() {
        return timeoutMillis;
    }

    public int retries() {
        return retries;
    }

    /** The response schema, or null when answers are not checked. */
    public OutputSchema schema() {
        return schema;
    }

    /**
     * Picks a target at random in proportion to its weight, among those not yet tried; once every target was tried,
     * among all of them again.
     *
     * @param tried indexes already tried by this request, as bits (routes have at most 64 targets)
     * @return null when the route has no target
     */
    public ActiveTarget pick(RandomGenerator random, long tried) {
        if (targets.isEmpty()) {
            return null;
        }
        long remaining = 0;
        for (ActiveTarget target : targets) {
            if ((tried & (1L << target.index())) == 0) {
                remaining += target.weight();
            }
        }
        long excluded = remaining == 0 ? 0 : tried;
        long total = remaining == 0 ? totalWeight() : remaining;
        long point = random.nextLong(total);
        for (ActiveTarget target : targets) {
            if ((excluded & (1L << target.index())) != 0) {
                continue;
            }
            point -= target.weight();
            if (point < 0) {
                return target;
            }
        }
        throw new IllegalStateException("weights of task " + task + " changed during a pick");
    }

    private long totalWeight() {
        long total = 0;
        for (ActiveTarget target : targets) {
            total += target.weight();
        }
        return total;
    }
}
