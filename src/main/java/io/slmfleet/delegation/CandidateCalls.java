package io.slmfleet.delegation;

/**
 * The candidate's calls in a window, live (its share of the traffic) and shadow (to be compared): the trials of the
 * error rate. The router counts the two apart, so no call is counted twice.
 *
 * @param calls every call that reached an answer or a failure
 * @param failed connection errors, timeouts, 5xx and 429
 */
public record CandidateCalls(long calls, long failed) {

    public static final CandidateCalls NONE = new CandidateCalls(0, 0);

    public CandidateCalls {
        if (failed < 0 || calls < failed) {
            throw new IllegalArgumentException(failed + " failed of " + calls + " calls");
        }
    }
}
