package io.slmfleet.router.table;

/**
 * A route's target as the router uses it.
 *
 * @param label specialist, or specialist/adapter: the x-slmfleet-target header and the metrics' target label
 * @param model what the request's model field is rewritten to
 */
public record ActiveTarget(int index, String label, String model, Upstream upstream, int weight) {
}
