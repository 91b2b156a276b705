package io.slmfleet.delegation;

import java.util.function.DoubleUnaryOperator;

/**
 * Anytime-valid confidence intervals for the mean of observations in [0, 1], computed from their count and sum only.
 * <p>
 * <b>Why a confidence sequence.</b> The operator looks at a step's figures again and again as comparisons come in and
 * acts the first time they clear a gate. A fixed-sample interval (Wilson, Clopper-Pearson) covers the mean with its
 * confidence at one sample size chosen in advance; re-checked at every look, the chance that one of the looks falls
 * outside is far larger (it tends to 1 as the looks go on), so a candidate just below a gate would be promoted far
 * more often than 1 - confidence. A confidence sequence covers the mean at all sample sizes at once:
 * P(the mean is outside the interval at any n) ≤ 1 - confidence, so any number of looks, at any times, is safe.
 * <p>
 * <b>The method: Robbins' beta-binomial mixture</b> (Robbins 1970; the conjugate-mixture boundaries of Howard, Ramdas,
 * McAuliffe and Sekhon, "Time-uniform, nonparametric, nonasymptotic confidence sequences", Ann. Statist. 2021, §3).
 * For a candidate mean p, with S the sum of n observations and F = n - S,
 * <pre>
 *   M_n(p) = ∫ q^S (1-q)^F dBeta(q; a, b) / (p^S (1-p)^F) = B(a + S, b + F) / (B(a, b) p^S (1-p)^F)
 * </pre>
 * is a nonnegative supermartingale with M_0 = 1 when the observations have mean p and lie in [0, 1] (they are then
 * sub-Bernoulli: E e^{λX} ≤ 1 - p + p e^λ), so by Ville's inequality P(∃n: M_n(p) ≥ 1/α) ≤ α, and
 * {p : M_n(p) < 1/α} is a (1 - α) confidence sequence. It is an interval around S/n (log M_n is convex in p),
 * found here by bisection on each side.
 * <p>
 * <b>Why this one, and what it assumes.</b> The router exports counters, not the order of its comparisons, and sums of
 * per-pod increments arrive in no particular order. M_n depends on the observations only through (n, S), so the
 * bounds are exactly the same in whatever order the comparisons happened, and can be recomputed from aggregated counts
 * at every look. Betting confidence sequences (Waudby-Smith and Ramdas, JRSS-B 2024) are tighter for general bounded
 * data but their capital process depends on the order of observations. The counts are Bernoulli (agree or not, failed
 * or not), for which the mixture is exact. The prior Beta(1/2, 1/2) (Jeffreys) only shapes where the boundary is tight,
 * never its validity; it is fixed here and not tuned on data.
 * <p>
 * The guarantee assumes the observations of one window share one mean (the candidate's agreement does not drift
 * within a step) and are conditionally independent given the past, as requests of a steady traffic mix are.
 */
public final class ConfidenceSequence {

    /** The Jeffreys prior of the mixture: Beta(1/2, 1/2). */
    private static final double PRIOR_A = 0.5;
    private static final double PRIOR_B = 0.5;
    private static final int BISECTION_STEPS = 60;

    /** Bounds on a mean in [0, 1]; estimate is NaN when there was no observation. */
    public record Interval(double estimate, double lower, double upper) {
    }

    private ConfidenceSequence() {
    }

    /**
     * @param successes the sum of the observations (for counts: how many were 1)
     * @param trials how many observations
     * @param confidence 1 - α, in (0, 1)
     */
    public static Interval of(long successes, long trials, double confidence) {
        if (trials < 0 || successes < 0 || successes > trials) {
            throw new IllegalArgumentException(successes + " successes of " + trials + " trials");
        }
        if (!(confidence > 0 && confidence < 1)) {
            throw new IllegalArgumentException("confidence " + confidence + " is not in (0, 1)");
        }
        if (trials == 0) {
            return new Interval(Double.NaN, 0, 1);
        }
        long failures = trials - successes;
        double estimate = (double) successes / trials;
        double threshold = Math.log(1 / (1 - confidence));
        double logMixture = logBeta(PRIOR_A + successes, PRIOR_B + failures) - logBeta(PRIOR_A, PRIOR_B);
        // log M_n(p) - log(1/α): convex in p, below 0 at the estimate, +∞ at 0 (if S > 0) and at 1 (if F > 0)
        DoubleUnaryOperator excess = p -> logMixture - successes * Math.log(p)
                - failures * Math.log1p(-p) - threshold;
        double lower = successes == 0 ? 0 : crossing(excess, 0, estimate);
        double upper = failures == 0 ? 1 : crossing(excess, 1, estimate);
        return new Interval(estimate, lower, upper);
    }

    /** The point between outside (where excess ≥ 0) and inside (excess < 0) where excess crosses 0. */
    private static double crossing(DoubleUnaryOperator excess, double outside, double inside) {
        for (int i = 0; i < BISECTION_STEPS; i++) {
            double middle = (outside + inside) / 2;
            if (excess.applyAsDouble(middle) >= 0) {
                outside = middle;
            } else {
                inside = middle;
            }
        }
        // the side that is surely outside, so the interval errs wide, never narrow
        return outside;
    }

    static double logBeta(double a, double b) {
        return logGamma(a) + logGamma(b) - logGamma(a + b);
    }

    private static final double[] LANCZOS = { 0.99999999999980993, 676.5203681218851, -1259.1392167224028,
        771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
        1.5056327351493116e-7 };

    /** ln Γ(x) for x > 0: the Lanczos approximation (g = 7), relative error about 1e-15. */
    static double logGamma(double x) {
        if (x < 0.5) {
            // reflection: Γ(x) Γ(1 - x) = π / sin(πx)
            return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
        }
        double z = x - 1;
        double sum = LANCZOS[0];
        for (int i = 1; i < LANCZOS.length; i++) {
            sum += LANCZOS[i] / (z + i);
        }
        double t = z + 7.5;
        return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
    }
}
