package io.slmfleet.agentroute;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.OptionalDouble;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.slmfleet.api.v1alpha1.AgentRouteStatus;
import io.slmfleet.economics.Economics;
import io.slmfleet.economics.RouteEconomics;
import io.slmfleet.economics.Traffic;

class EconomicsStatusTest {

    private static final Instant READ = Instant.parse("2026-12-02T03:00:00Z");

    @Test
    void figuresAreRoundedToAPercentAndThreeSignificantDigits() {
        AgentRouteStatus.Economics status = EconomicsStatus.of(economics(8765, 1235, 123_456, 12.3456, List.of()),
                READ.minus(Duration.ofMinutes(40)), READ);

        assertThat(status.window).isEqualTo("PT1H");
        assertThat(status.since).isEqualTo("2026-12-02T02:20:00Z");
        assertThat(status.readTime).isEqualTo("2026-12-02T03:00:00Z");
        assertThat(status.slmShare).isEqualTo(88);
        assertThat(status.slmRequests).isEqualTo(8770);
        assertThat(status.llmRequests).isEqualTo(1240);
        assertThat(status.slmTokens).isEqualTo(123_000);
        assertThat(status.estimatedCost).isEqualTo(12.3);
        assertThat(status.allLlmCost).isEqualTo(123.0);
        assertThat(status.savingsRatio).isEqualTo(9.96);
        assertThat(status.costPer1kRequests).isEqualTo(1.23);
        assertThat(status.pricesMissing).isNull();
        assertThat(status.stale).isNull();
        assertThat(status.routes).singleElement().satisfies(route -> {
            assertThat(route.task).isEqualTo("parsing");
            assertThat(route.slmShare).isEqualTo(88);
        });
    }

    @Test
    void unknownCostsAreAbsentAndTheMissingPricesNamed() {
        AgentRouteStatus.Economics status = EconomicsStatus.of(new Economics(Duration.ofHours(1), List.of(),
                new RouteEconomics(null, Traffic.NONE, Traffic.NONE, OptionalDouble.empty(), OptionalDouble.empty()),
                List.of("GPU product NVIDIA-B200 (specialist tagger)", "LLM token prices (spec.fallback.pricing)")), READ, READ);

        assertThat(status.estimatedCost).isNull();
        assertThat(status.savingsRatio).isNull();
        assertThat(status.slmShare).isNull();
        assertThat(status.slmRequests).isZero();
        assertThat(status.pricesMissing)
                .isEqualTo("GPU product NVIDIA-B200 (specialist tagger); LLM token prices (spec.fallback.pricing)");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            only read later                    | 8765 | 123456 | 12.3456 |       | 60  | false
            tokens within their rounding step  | 8765 | 123499 | 12.3456 |       | 0   | false
            cost within its rounding step      | 8765 | 123456 | 12.3499 |       | 0   | false
            requests and share past their steps | 10000 | 123456 | 12.3456 |       | 0   | true
            tokens past their rounding step    | 8765 | 123600 | 12.3456 |       | 0   | true
            cost past its rounding step        | 8765 | 123456 | 12.36   |       | 0   | true
            a price goes missing               | 8765 | 123456 | 12.3456 | LLM   | 0   | true
            """)
    void theStatusMovesOnlyWhenARoundedFigureDoes(String change, long slmRequests, long slmTokens, double cost, String missing,
            long secondsLater, boolean moved) {
        AgentRouteStatus.Economics before = EconomicsStatus.of(economics(8765, 1235, 123_456, 12.3456, List.of()), READ, READ);
        Instant later = READ.plusSeconds(secondsLater);
        AgentRouteStatus.Economics after = EconomicsStatus.of(economics(slmRequests, 1235, slmTokens, cost,
                missing == null ? List.of() : List.of(missing)), later, later);

        assertThat(EconomicsStatus.moved(before, after)).isEqualTo(moved);
    }

    @Test
    void staleFiguresKeepTheirValuesAndReadTimeAndMove() {
        AgentRouteStatus.Economics last = EconomicsStatus.of(economics(8765, 1235, 123_456, 12.3456, List.of()), READ, READ);
        AgentRouteStatus.Economics stale = EconomicsStatus.stale(last);

        assertThat(stale.stale).isTrue();
        assertThat(stale.readTime).isEqualTo(last.readTime);
        assertThat(stale.estimatedCost).isEqualTo(last.estimatedCost);
        assertThat(stale.routes).hasSize(1);
        assertThat(last.stale).isNull();
        assertThat(EconomicsStatus.moved(last, stale)).isTrue();
        assertThat(EconomicsStatus.moved(stale, EconomicsStatus.stale(stale))).isFalse();
        assertThat(EconomicsStatus.moved(null, last)).isTrue();
    }

    /** An AgentRoute of one route whose LLM side is 10× as dear as the estimate. */
    private static Economics economics(long slmRequests, long llmRequests, long slmTokens, double cost, List<String> missing) {
        RouteEconomics figures = new RouteEconomics("parsing", new Traffic(slmRequests, slmTokens, 0),
                new Traffic(llmRequests, 1000, 0), OptionalDouble.of(cost), OptionalDouble.of(123.0));
        return new Economics(Duration.ofHours(1), List.of(figures),
                new RouteEconomics(null, figures.slm(), figures.llm(), figures.estimatedCost(), figures.allLlmCost()), missing);
    }
}
