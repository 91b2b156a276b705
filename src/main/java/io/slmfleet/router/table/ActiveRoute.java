package io.slmfleet.router.table;

import java.util.List;
import java.util.random.RandomGenerator;

/**
 * A route ready to serve: the members of its weighted pick (trusted targets, the delegation's candidate when its
 * weight is above 0, the fallback when there is no trusted target), its compiled schema and its delegation.
 */
public final class ActiveRoute {

    private final String task;
    private final List<ActiveTarget> targets;
    private final long timeoutMillis;
    private final int retries;
    private final OutputSchema schema;
    private final ActiveDelegation delegation;

    ActiveRoute(String task, List<ActiveTarget> targets, long timeoutMillis, int retries, OutputSchema schema,
            ActiveDelegation delegation) {
        this.task = task;
        this.targets = List.copyOf(targets);
        this.timeoutMillis = timeoutMillis;
        this.retries = retries;
        this.schema = schema;
        this.delegation = delegation;
    }

    public String task() {
        return task;
    }

    /** The members of the weighted pick. */
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

    /** The candidate compared against the reference, or null when the route has no delegation. */
    public ActiveDelegation delegation() {
        return delegation;
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
