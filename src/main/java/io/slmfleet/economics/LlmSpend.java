package io.slmfleet.economics;

import java.util.OptionalDouble;

/**
 * A line of paid LLM calls beside the answers: shadow calls to the teacher, judge calls, or answers to requests no
 * route matched.
 *
 * @param traffic the answered calls and their tokens
 * @param cost their tokens at the LLM's prices, in USD; 0 without tokens, empty when they have tokens and no price
 */
public record LlmSpend(Traffic traffic, OptionalDouble cost) {

    public static final LlmSpend NONE = new LlmSpend(Traffic.NONE, OptionalDouble.of(0));

    /** The traffic priced at the given prices (none needed without tokens). */
    static LlmSpend priced(Traffic traffic, java.util.Optional<LlmPrices> prices) {
        if (traffic.tokens() == 0) {
            return new LlmSpend(traffic, OptionalDouble.of(0));
        }
        return new LlmSpend(traffic, prices.map(p -> OptionalDouble.of(p.cost(traffic))).orElse(OptionalDouble.empty()));
    }

    LlmSpend plus(LlmSpend other) {
        return new LlmSpend(traffic.plus(other.traffic), CostModel.sum(cost, other.cost));
    }
}
