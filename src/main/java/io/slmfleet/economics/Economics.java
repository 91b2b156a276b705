package io.slmfleet.economics;

import java.time.Duration;
import java.util.List;

/**
 * An AgentRoute's economics over a window.
 *
 * @param routes one entry per route, in the order given
 * @param total all routes together, and the answers to requests no route matched
 * @param unknownTask what the fallback LLM answered for requests no route matched (the router's unknownTask): the
 *        AgentRoute's, no route's
 * @param missingPrices the prices the costs lack, each naming what needs it; empty when every cost is known
 */
public record Economics(Duration window, List<RouteEconomics> routes, RouteEconomics total, LlmSpend unknownTask,
        List<String> missingPrices) {
    public Economics {
        routes = List.copyOf(routes);
        missingPrices = List.copyOf(missingPrices);
    }

    /** Economics without answers to unknown tasks. */
    public Economics(Duration window, List<RouteEconomics> routes, RouteEconomics total, List<String> missingPrices) {
        this(window, routes, total, LlmSpend.NONE, missingPrices);
    }
}
