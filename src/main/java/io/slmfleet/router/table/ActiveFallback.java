package io.slmfleet.router.table;

import io.slmfleet.routing.RoutingTable.Fallback;
import io.slmfleet.routing.RoutingTable.FallbackReason;

/**
 * The fallback LLM as the router uses it.
 *
 * @param authorization the Authorization header sent to the fallback only, or null when it needs no key
 */
public record ActiveFallback(Fallback source, Upstream upstream, String authorization) {

    public static final String LABEL = "fallback";

    public boolean covers(FallbackReason reason) {
        return source.covers(reason);
    }

    public String model() {
        return source.model();
    }

    @Override
    public String toString() {
        // the authorization header must never reach a log line
        return "ActiveFallback[" + source.endpoint() + ", model " + source.model() + "]";
    }
}
