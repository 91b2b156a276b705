package io.slmfleet.economics;

/** The fallback LLM's prices in USD per million tokens. */
public record LlmPrices(double inputPerMillionTokens, double outputPerMillionTokens) {

    private static final double MILLION = 1_000_000.0;

    public double cost(Traffic traffic) {
        return (traffic.inputTokens() * inputPerMillionTokens + traffic.outputTokens() * outputPerMillionTokens) / MILLION;
    }
}
