package io.slmfleet.economics;

/** Requests answered and the tokens they used, over a window. */
public record Traffic(long requests, long inputTokens, long outputTokens) {

    public static final Traffic NONE = new Traffic(0, 0, 0);

    public Traffic plus(Traffic other) {
        return new Traffic(requests + other.requests, inputTokens + other.inputTokens, outputTokens + other.outputTokens);
    }

    public long tokens() {
        return inputTokens + outputTokens;
    }
}
