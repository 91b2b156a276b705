package io.slmfleet.delegation.figures;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

class CounterAccumulatorTest {

    static final CounterAccumulator.Series AGREE = new CounterAccumulator.Series("c", Map.of("verdict", "agree"));

    @Test
    void sumsIncrementsAcrossPodsThroughResetsAndPodsGoingAway() {
        CounterAccumulator accumulator = new CounterAccumulator();
        accumulator.observe("a", Map.of(AGREE, 10.0));
        accumulator.observe("b", Map.of(AGREE, 4.0));
        assertThat(accumulator.totals()).containsEntry(AGREE, 14.0);

        accumulator.observe("a", Map.of(AGREE, 15.0)); // +5
        accumulator.observe("b", Map.of(AGREE, 3.0)); // b restarted: counted 3 since
        assertThat(accumulator.totals()).containsEntry(AGREE, 22.0);

        accumulator.observe("a", Map.of(AGREE, 15.0)); // nothing new
        accumulator.retainPods(Set.of("a")); // b is gone: what it counted stays
        accumulator.observe("c", Map.of(AGREE, 2.0)); // a new pod counts from 0
        assertThat(accumulator.totals()).containsEntry(AGREE, 24.0);
    }
}
