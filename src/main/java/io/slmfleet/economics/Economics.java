package io.slmfleet.economics;

import java.time.Duration;
import java.util.List;

/**
 * An AgentRoute's economics over a window.
 *
 * @param routes one entry per route, in the order given
 * @param total all routes together
 * @param missingPrices the prices the costs lack, each naming what needs it; empty when every cost is known
 */
public record Economics(Duration window, List<RouteEconomics> routes, RouteEconomics total, List<String> missingPrices) {
    public Economics {
        routes = List.copyOf(routes);
        missingPrices = List.copyOf(missingPrices);
    }
}
