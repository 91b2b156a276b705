package io.slmfleet.agentroute;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A candidate's live share as table weights: exactly its percentage, the targets keeping their ratio. */
class DelegationWeightsTest {

    @ParameterizedTest(name = "targets {0} at {1} % -> targets {2}, candidate {3}")
    @CsvSource(delimiter = ';', value = {
            "90,10; 0;   90,10;    0",
            "90,10; 5;   8550,950; 500",
            "90,10; 25;  6750,750; 2500",
            "90,10; 100; 0,0;      10000",
            "1;     50;  50;       50",
            "'';    0;   '';       0",
            "'';    25;  '';       25",
            "'';    100; '';       100" })
    void givesTheCandidateExactlyItsShare(String targets, int percent, String expectedTargets, int expectedCandidate) {
        DelegationWeights weights = DelegationWeights.split(weights(targets), percent);

        assertThat(weights.trusted()).isEqualTo(weights(expectedTargets));
        assertThat(weights.candidate()).isEqualTo(expectedCandidate);
        int total = weights.trusted().stream().mapToInt(Integer::intValue).sum();
        if (total > 0) {
            assertThat(100.0 * weights.candidate() / (total + weights.candidate())).isEqualTo(percent);
        }
    }

    @ParameterizedTest
    @CsvSource({ "-1", "101" })
    void refusesWhatIsNotAPercentage(int percent) {
        assertThatThrownBy(() -> DelegationWeights.split(List.of(10), percent))
                .hasMessage("a live share is a percentage, not " + percent);
    }

    private static List<Integer> weights(String csv) {
        return csv == null || csv.isBlank() ? List.of()
                : java.util.Arrays.stream(csv.split(",")).map(String::trim).map(Integer::valueOf).toList();
    }
}
