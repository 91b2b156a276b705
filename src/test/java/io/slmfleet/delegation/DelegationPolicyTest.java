package io.slmfleet.delegation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.OptionalDouble;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.slmfleet.api.v1alpha1.CandidateSpec;
import io.slmfleet.api.v1alpha1.DelegationGatesSpec;
import io.slmfleet.api.v1alpha1.DelegationSpec;

class DelegationPolicyTest {

    @Test
    void aSpecNoApiServerDefaultedGetsTheCrdsDefaults() {
        DelegationSpec spec = new DelegationSpec();
        spec.candidate = new CandidateSpec("invoice-parser", "");
        spec.steps = List.of(5, 25, 50, 100);
        spec.gates = new DelegationGatesSpec();
        spec.gates.minAgreement = 0.95;
        spec.gates.maxErrorRate = null;
        spec.stepInterval = null;
        spec.minComparisons = null;
        spec.confidence = null;
        spec.paused = null;

        assertThat(DelegationPolicy.of(spec)).isEqualTo(new DelegationPolicy(new Candidate("invoice-parser", null),
                List.of(5, 25, 50, 100), Duration.ofMinutes(10), 200,
                new DelegationPolicy.Gates(0.95, 0.01, 0.02, OptionalDouble.empty()), 0.95, false));
        assertThat(new Candidate("invoice-parser", null).label()).isEqualTo("invoice-parser");
        assertThat(new Candidate("invoice-parser", "invoice-v4").label()).isEqualTo("invoice-parser/invoice-v4");
    }

    @ParameterizedTest
    @CsvSource({ "90s, PT1M30S", "10m, PT10M", "2h, PT2H" })
    void intervalsAsTheCrdAdmitsThem(String text, Duration expected) {
        assertThat(DelegationPolicy.interval(text)).isEqualTo(expected);
    }

    @Test
    void anIntervalTheCrdRefusesIsRefused() {
        assertThatThrownBy(() -> DelegationPolicy.interval("1d")).isInstanceOf(IllegalArgumentException.class);
    }
}
