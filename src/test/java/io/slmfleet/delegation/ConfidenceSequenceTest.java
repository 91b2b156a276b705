package io.slmfleet.delegation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConfidenceSequenceTest {

    @Test
    void logGammaMatchesKnownValues() {
        assertThat(ConfidenceSequence.logGamma(5)).isCloseTo(Math.log(24), within(1e-12));
        assertThat(ConfidenceSequence.logGamma(0.5)).isCloseTo(0.5 * Math.log(Math.PI), within(1e-12));
        assertThat(ConfidenceSequence.logGamma(0.25)).isCloseTo(1.2880225246980774, within(1e-12));
        // Stirling with its 1/(12x) term, at a size where it is exact to 1e-12
        double x = 1e6;
        double stirling = (x - 0.5) * Math.log(x) - x + 0.5 * Math.log(2 * Math.PI) + 1 / (12 * x);
        assertThat(ConfidenceSequence.logGamma(x)).isCloseTo(stirling, within(1e-6));
    }

    @Test
    void noObservationBoundsNothing() {
        ConfidenceSequence.Interval interval = ConfidenceSequence.of(0, 0, 0.95);
        assertThat(interval.estimate()).isNaN();
        assertThat(interval.lower()).isZero();
        assertThat(interval.upper()).isOne();
    }

    @ParameterizedTest(name = "{0} of {1} at {2}")
    @CsvSource({
        "0, 10, 0.95",
        "10, 10, 0.95",
        "194, 200, 0.95",
        "970, 1000, 0.95",
        "970, 1000, 0.99",
        "5, 100000, 0.95",
    })
    void containsTheEstimateAndStaysInTheUnitInterval(long successes, long trials, double confidence) {
        ConfidenceSequence.Interval interval = ConfidenceSequence.of(successes, trials, confidence);
        assertThat(interval.lower()).isBetween(0.0, interval.estimate());
        assertThat(interval.upper()).isBetween(interval.estimate(), 1.0);
        assertThat(interval.lower() == 0).isEqualTo(successes == 0);
        assertThat(interval.upper() == 1).isEqualTo(successes == trials);
    }

    @Test
    void narrowsWithMoreObservationsAndWidensWithConfidence() {
        double width200 = width(ConfidenceSequence.of(194, 200, 0.95));
        double width2000 = width(ConfidenceSequence.of(1940, 2000, 0.95));
        assertThat(width2000).isLessThan(width200 / 2.5);
        assertThat(width(ConfidenceSequence.of(194, 200, 0.99))).isGreaterThan(width200);
    }

    @Test
    void isSymmetricInSuccessesAndFailures() {
        ConfidenceSequence.Interval agree = ConfidenceSequence.of(180, 200, 0.95);
        ConfidenceSequence.Interval disagree = ConfidenceSequence.of(20, 200, 0.95);
        assertThat(agree.lower()).isCloseTo(1 - disagree.upper(), within(1e-12));
        assertThat(agree.upper()).isCloseTo(1 - disagree.lower(), within(1e-12));
    }

    @Test
    void isWiderThanTheFixedSampleWilsonIntervalItReplaces() {
        // the price of looking any number of times: at n = 200 the lower bound sits further from the estimate
        double wilsonLower = wilsonLower(194, 200, 1.959964);
        assertThat(ConfidenceSequence.of(194, 200, 0.95).lower()).isLessThan(wilsonLower);
    }

    /**
     * The time-uniform guarantee: over many streams at a true mean, the share of streams whose interval excludes the
     * mean at any of the looks stays below 1 - confidence. (A fixed-sample interval looked at this often fails it.)
     */
    @Test
    void excludesTheTrueMeanAtAnyLookInFewerThanAlphaOfStreams() {
        SplittableRandom random = new SplittableRandom(13);
        double mean = 0.9;
        int streams = 400;
        int everExcluded = 0;
        int wilsonEverExcluded = 0;
        for (int stream = 0; stream < streams; stream++) {
            long successes = 0;
            boolean excluded = false;
            boolean wilsonExcluded = false;
            for (int n = 1; n <= 3000; n++) {
                successes += random.nextDouble() < mean ? 1 : 0;
                if (n % 25 == 0) {
                    ConfidenceSequence.Interval interval = ConfidenceSequence.of(successes, n, 0.95);
                    excluded |= interval.lower() > mean || interval.upper() < mean;
                    wilsonExcluded |= wilsonLower(successes, n, 1.959964) > mean;
                }
            }
            everExcluded += excluded ? 1 : 0;
            wilsonEverExcluded += wilsonExcluded ? 1 : 0;
        }
        assertThat((double) everExcluded / streams).isLessThan(0.05);
        assertThat((double) wilsonEverExcluded / streams).as("Wilson lower bound above the mean at some look")
                .isGreaterThan(0.1);
    }

    private static double width(ConfidenceSequence.Interval interval) {
        return interval.upper() - interval.lower();
    }

    static double wilsonLower(long successes, long trials, double z) {
        double p = (double) successes / trials;
        double denominator = 1 + z * z / trials;
        double centre = p + z * z / (2 * trials);
        double margin = z * Math.sqrt(p * (1 - p) / trials + z * z / (4.0 * trials * trials));
        return (centre - margin) / denominator;
    }
}
