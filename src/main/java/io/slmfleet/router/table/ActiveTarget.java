package io.slmfleet.router.table;

/**
 * A member of a route's weighted pick as the router uses it.
 *
 * @param label specialist, or specialist/adapter, or {@link ActiveFallback#LABEL}: the x-slmfleet-target header and
 *        the metrics' target label
 * @param model what the request's model field is rewritten to
 */
public record ActiveTarget(int index, String label, String model, Upstream upstream, int weight, Role role) {

    public enum Role {
        /** One of the route's targets. */
        TRUSTED,
        /** The delegation's candidate, with its live weight. */
        CANDIDATE,
        /** The fallback standing in for a route without trusted targets: called with its key and its timeout. */
        FALLBACK
    }
}
