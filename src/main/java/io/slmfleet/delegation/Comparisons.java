package io.slmfleet.delegation;

/**
 * The comparisons of one window (a step, or shadowing) that say something about the candidate, by the router's verdict.
 * Comparisons whose reference failed, whose judge failed or that were skipped say nothing about it and are not here.
 *
 * @param agree the candidate's answer scored at or above the agreement threshold
 * @param disagree scored below it
 * @param candidateInvalid the candidate's answer failed the route's response schema
 * @param candidateError the candidate's shadow call failed (its failures are counted for the error rate in
 *        {@link CandidateCalls}, with its live ones)
 */
public record Comparisons(long agree, long disagree, long candidateInvalid, long candidateError) {

    public static final Comparisons NONE = new Comparisons(0, 0, 0, 0);

    public Comparisons {
        if (agree < 0 || disagree < 0 || candidateInvalid < 0 || candidateError < 0) {
            throw new IllegalArgumentException("negative count in " + this);
        }
    }

    /** Comparisons the candidate took part in: the count minComparisons asks for. */
    public long total() {
        return answered() + candidateError;
    }

    /** The candidate answered: the trials of the invalid-output rate. */
    public long answered() {
        return judged() + candidateInvalid;
    }

    /** The candidate answered validly and was scored: the trials of the agreement rate. */
    public long judged() {
        return agree + disagree;
    }

    public Comparisons plus(Comparisons other) {
        return new Comparisons(agree + other.agree, disagree + other.disagree, candidateInvalid + other.candidateInvalid,
                candidateError + other.candidateError);
    }
}
