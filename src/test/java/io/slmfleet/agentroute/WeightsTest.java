package io.slmfleet.agentroute;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

class WeightsTest {

    @Test
    void allReadyKeepsEveryWeight() {
        assertThat(Weights.redistribute(List.of(90, 10), List.of(true, true))).containsExactly(90, 10);
    }

    @Test
    void anUnreadyAdapterGivesItsWeightToTheBaseModel() {
        assertThat(Weights.redistribute(List.of(90, 10), List.of(false, true))).containsExactly(0, 100);
    }

    @Test
    void theWeightIsSharedInProportionToTheReadyTargets() {
        assertThat(Weights.redistribute(List.of(50, 30, 20), List.of(false, true, true))).containsExactly(0, 60, 40);
        assertThat(Weights.redistribute(List.of(100, 100, 100), List.of(true, false, true))).containsExactly(150, 0, 150);
    }

    @Test
    void roundingLeftoversGoToTheLargestRemaindersFirst() {
        // 10, 20, 30 scaled by 100/60: 16.67, 33.33, 50 -> 16 + 33 + 50 = 99, the last unit to the .67
        assertThat(Weights.redistribute(List.of(10, 20, 30, 40), List.of(true, true, true, false)))
                .containsExactly(17, 33, 50, 0);
        // equal remainders: the earlier target first
        assertThat(Weights.redistribute(List.of(1, 1, 1, 1), List.of(true, true, true, false))).containsExactly(2, 1, 1, 0);
    }

    @Test
    void aWeightOfZeroNeverReceivesTraffic() {
        assertThat(Weights.redistribute(List.of(100, 0), List.of(false, true))).containsExactly(0, 0);
        assertThat(Weights.redistribute(List.of(0, 0), List.of(true, true))).containsExactly(0, 0);
        assertThat(Weights.redistribute(List.of(100, 0, 50), List.of(false, true, true))).containsExactly(0, 0, 150);
    }

    @Test
    void noReadyTargetLeavesTheRouteWithoutWeight() {
        assertThat(Weights.redistribute(List.of(90, 10), List.of(false, false))).containsExactly(0, 0);
    }

    @Test
    void effectiveWeightsSumToTheSpecTotalAndKeepEveryReadyTargetAboveZero() {
        Random random = new Random(42);
        for (int run = 0; run < 1000; run++) {
            int size = 1 + random.nextInt(16);
            List<Integer> weights = new ArrayList<>();
            List<Boolean> ready = new ArrayList<>();
            for (int i = 0; i < size; i++) {
                weights.add(random.nextInt(101));
                ready.add(random.nextBoolean());
            }
            List<Integer> effective = Weights.redistribute(weights, ready);

            int readyTotal = 0;
            for (int i = 0; i < size; i++) {
                readyTotal += ready.get(i) ? weights.get(i) : 0;
                if (ready.get(i) && weights.get(i) > 0) {
                    assertThat(effective.get(i)).as("run %d target %d", run, i).isGreaterThanOrEqualTo(weights.get(i));
                } else {
                    assertThat(effective.get(i)).as("run %d target %d", run, i).isZero();
                }
            }
            int expectedTotal = readyTotal == 0 ? 0 : weights.stream().mapToInt(Integer::intValue).sum();
            assertThat(effective.stream().mapToInt(Integer::intValue).sum()).as("run %d", run).isEqualTo(expectedTotal);
        }
    }
}
