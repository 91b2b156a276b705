package io.slmfleet.router.table;

/**
 * The LLM that grades free-text comparisons of a route's delegation.
 *
 * @param authorization the Authorization header sent to the judge only, or null when it needs no key
 */
public record ActiveJudge(Upstream upstream, String model, String authorization) {

    @Override
    public String toString() {
        // the authorization header must never reach a log line
        return "ActiveJudge[" + upstream.host() + ", model " + model + "]";
    }
}
