package io.slmfleet.router.shadow;

/** How one comparison of the candidate against the reference ended: the comparisons metric's verdict label. */
public enum Verdict {
    /** Scored at or above the delegation's agreementThreshold. */
    agree,
    /** Scored below it. */
    disagree,
    /** The candidate answered, but not in the shape the route requires: schema failed, or not JSON where JSON is due. */
    candidate_invalid,
    /** The candidate gave no usable answer: unreachable, timed out, 429/5xx or another non-2xx. */
    candidate_error,
    /** The reference gave no usable answer, so nothing could be scored. */
    reference_error,
    /** The judge was down or answered something that is not a grade; never counted as disagreement. */
    judge_error,
    /** Not compared: the router's comparisons were at their concurrency bound. */
    skipped
}
