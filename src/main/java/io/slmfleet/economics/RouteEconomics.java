package io.slmfleet.economics;

import java.util.OptionalDouble;

/**
 * A route's (or all routes') traffic and cost over the window, in USD.
 *
 * @param estimatedCost the SLMs' apportioned GPU time plus the LLM's tokens at its prices; empty when a price it needs
 *        is missing
 * @param allLlmCost what the same tokens would have cost at the LLM's prices; empty without LLM prices
 */
public record RouteEconomics(String route, Traffic slm, Traffic llm, OptionalDouble estimatedCost, OptionalDouble allLlmCost) {

    private static final double THOUSAND = 1000.0;

    public Traffic all() {
        return slm.plus(llm);
    }

    /** Share of answered requests the SLMs answered; empty when none were. */
    public OptionalDouble slmShare() {
        long requests = all().requests();
        return requests == 0 ? OptionalDouble.empty() : OptionalDouble.of((double) slm.requests() / requests);
    }

    /** All-LLM cost over estimated cost: how many times cheaper the fleet is; empty when either is unknown or zero. */
    public OptionalDouble savingsRatio() {
        if (estimatedCost.isEmpty() || allLlmCost.isEmpty() || estimatedCost.getAsDouble() == 0 || all().tokens() == 0) {
            return OptionalDouble.empty();
        }
        return OptionalDouble.of(allLlmCost.getAsDouble() / estimatedCost.getAsDouble());
    }

    /** Estimated cost per thousand answered requests; empty without requests or cost. */
    public OptionalDouble costPer1kRequests() {
        long requests = all().requests();
        return requests == 0 || estimatedCost.isEmpty() ? OptionalDouble.empty()
                : OptionalDouble.of(estimatedCost.getAsDouble() * THOUSAND / requests);
    }
}
