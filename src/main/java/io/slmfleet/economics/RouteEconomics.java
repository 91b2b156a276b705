package io.slmfleet.economics;

import java.util.OptionalDouble;

/**
 * A route's (or all routes') traffic and cost over the window, in USD.
 *
 * @param slm what the SLMSpecialists answered
 * @param llm what the fallback LLM answered (in the total, the answers to requests no route matched too)
 * @param shadowLlm shadow calls to the fallback LLM, the teacher, made to compare a delegation's candidate
 * @param judgeLlm calls to a delegation's judge
 * @param estimatedCost the SLMs' apportioned GPU time plus every LLM token at its prices (answers, shadow and judge
 *        calls); empty when a price it needs is missing
 * @param allLlmCost what the answered tokens would have cost at the LLM's prices (the LLM alone makes no shadow or
 *        judge calls); empty without LLM prices
 * @param llmCost the LLM spend: the LLM's answers, shadow and judge calls at their prices; empty when a price is missing
 */
public record RouteEconomics(String route, Traffic slm, Traffic llm, LlmSpend shadowLlm, LlmSpend judgeLlm,
        OptionalDouble estimatedCost, OptionalDouble allLlmCost, OptionalDouble llmCost) {

    private static final double THOUSAND = 1000.0;

    /** Figures without shadow or judge calls, the LLM spend unknown. */
    public RouteEconomics(String route, Traffic slm, Traffic llm, OptionalDouble estimatedCost, OptionalDouble allLlmCost) {
        this(route, slm, llm, LlmSpend.NONE, LlmSpend.NONE, estimatedCost, allLlmCost, OptionalDouble.empty());
    }

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
