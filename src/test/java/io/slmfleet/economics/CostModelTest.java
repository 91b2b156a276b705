package io.slmfleet.economics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class CostModelTest {

    private static final Duration HOUR = Duration.ofHours(1);
    private static final GpuPrices PRICES = new GpuPrices(Map.of("NVIDIA-H100-80GB-HBM3", 4.0, "NVIDIA-L4", 0.8),
            Map.of("1g.10gb", 0.5));
    /** $10 per 1M input tokens, $30 per 1M output tokens. */
    private static final Optional<LlmPrices> LLM = Optional.of(new LlmPrices(10, 30));

    private static final SpecialistGpus H100 = new SpecialistGpus("parser", "NVIDIA-H100-80GB-HBM3", null, 1, 1);
    private static final SpecialistGpus TWO_L4_TWICE = new SpecialistGpus("summarizer", "NVIDIA-L4", null, 2, 2);
    private static final SpecialistGpus MIG = new SpecialistGpus("classifier", "NVIDIA-A100-SXM4-80GB", "1g.10gb", 1, 3);
    private static final SpecialistGpus UNPRICED = new SpecialistGpus("tagger", "NVIDIA-B200", null, 1, 1);
    private static final SpecialistGpus ANY_PRODUCT = new SpecialistGpus("any", null, null, 1, 1);

    /** A route's expected figures; null: the figure is unknown. */
    record Expected(String route, Double estimatedCost, Double allLlmCost, Double slmShare, Double savingsRatio,
            Double costPer1k) {
    }

    record Case(String name, Duration window, List<RouteTraffic> routes, List<SpecialistGpus> specialists,
            Optional<LlmPrices> llm, List<Expected> expected, Expected total, List<String> missingPrices) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                // parser's $4 hour split 3:1 by tokens; summarizer's 4 L4s ($3.20) all to summaries; LLM tokens at list
                new Case("shared GPU apportioned by tokens across routes", HOUR,
                        List.of(route("parsing", Map.of("parser", traffic(900, 200_000, 100_000)), traffic(100, 10_000, 10_000)),
                                route("summaries", Map.of("parser", traffic(100, 50_000, 50_000),
                                        "summarizer", traffic(1000, 1_000_000, 0)), Traffic.NONE)),
                        List.of(H100, TWO_L4_TWICE), LLM,
                        List.of(new Expected("parsing", 3.0 + 0.4, 2.0 + 3.0 + 0.4, 0.9, 5.4 / 3.4, 3.4),
                                new Expected("summaries", 1.0 + 3.2, 10.5 + 1.5, 1.0, 12.0 / 4.2, 4.2 / 1.1)),
                        new Expected(null, 7.6, 17.4, 2000.0 / 2100, 17.4 / 7.6, 7.6 / 2.1), List.of()),
                // three replicas of a $0.50 slice for half an hour
                new Case("MIG slices priced by profile", Duration.ofMinutes(30),
                        List.of(route("classify", Map.of("classifier", traffic(500, 100_000, 10_000)), Traffic.NONE)),
                        List.of(MIG), LLM,
                        List.of(new Expected("classify", 0.75, 1.3, 1.0, 1.3 / 0.75, 1.5)),
                        new Expected(null, 0.75, 1.3, 1.0, 1.3 / 0.75, 1.5), List.of()),
                new Case("LLM-only route costs its tokens, saves nothing", HOUR,
                        List.of(route("triage", Map.of(), traffic(10, 1_000_000, 500_000))), List.of(), LLM,
                        List.of(new Expected("triage", 25.0, 25.0, 0.0, 1.0, 2500.0)),
                        new Expected(null, 25.0, 25.0, 0.0, 1.0, 2500.0), List.of()),
                // the idle GPU is still paid for, split evenly; nothing answered, so no share, ratio or cost per request
                new Case("zero traffic pays for idle GPUs", HOUR,
                        List.of(route("parsing", Map.of("parser", Traffic.NONE), Traffic.NONE),
                                route("summaries", Map.of("parser", Traffic.NONE), Traffic.NONE)),
                        List.of(H100), LLM,
                        List.of(new Expected("parsing", 2.0, 0.0, null, null, null),
                                new Expected("summaries", 2.0, 0.0, null, null, null)),
                        new Expected(null, 4.0, 0.0, null, null, null), List.of()),
                // no LLM prices: a route without LLM tokens still has its GPU cost; nothing compares to the LLM
                new Case("missing LLM prices", HOUR,
                        List.of(route("parsing", Map.of("parser", traffic(90, 1000, 1000)), Traffic.NONE),
                                route("summaries", Map.of(), traffic(10, 1000, 1000))),
                        List.of(H100), Optional.empty(),
                        List.of(new Expected("parsing", 4.0, null, 1.0, null, 4.0 * 1000 / 90),
                                new Expected("summaries", null, null, 0.0, null, null)),
                        new Expected(null, null, null, 0.9, null, null),
                        List.of("LLM token prices (spec.fallback.pricing)")),
                new Case("missing GPU prices name the specialist", HOUR,
                        List.of(route("tagging", Map.of("tagger", traffic(10, 1000, 0)), Traffic.NONE),
                                route("anything", Map.of("any", traffic(10, 1000, 0)), Traffic.NONE),
                                route("gone", Map.of("removed", traffic(10, 1000, 0)), Traffic.NONE),
                                route("parsing", Map.of("parser", traffic(10, 1000, 0)), Traffic.NONE)),
                        List.of(UNPRICED, ANY_PRODUCT, H100), LLM,
                        List.of(new Expected("tagging", null, 0.01, 1.0, null, null),
                                new Expected("anything", null, 0.01, 1.0, null, null),
                                new Expected("gone", null, 0.01, 1.0, null, null),
                                new Expected("parsing", 4.0, 0.01, 1.0, 0.0025, 400.0)),
                        new Expected(null, null, 0.04, 1.0, null, null),
                        List.of("GPU product NVIDIA-B200 (specialist tagger)",
                                "GPU product of specialist any (its spec.gpu.product is empty: any product)",
                                "GPUs of specialist removed (not found)")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void estimatesEachRouteAndTheTotal(Case given) {
        Map<String, SpecialistGpus> specialists = given.specialists().stream()
                .collect(Collectors.toMap(SpecialistGpus::specialist, Function.identity()));
        Economics economics = CostModel.estimate(given.window(), given.routes(), specialists, PRICES, given.llm());

        assertThat(economics.routes()).hasSameSizeAs(given.expected());
        for (int i = 0; i < given.expected().size(); i++) {
            assertFigures(economics.routes().get(i), given.expected().get(i));
        }
        assertFigures(economics.total(), given.total());
        assertThat(economics.missingPrices()).containsExactlyInAnyOrderElementsOf(given.missingPrices());
        assertThat(economics.window()).isEqualTo(given.window());
    }

    // --- paid LLM calls beside the answers: shadow calls to the teacher, judge calls, answers no route matched

    @Test
    void shadowCallsToTheTeacherAreTheRoutesOwnLineInItsCostAndLlmSpend() {
        // 50 shadow calls to the teacher: 100,000 input and 20,000 output tokens at $10/$30 per million = $1.60
        RouteTraffic parsing = new RouteTraffic("parsing", Map.of("parser", traffic(900, 200_000, 100_000)),
                traffic(100, 10_000, 10_000), traffic(50, 100_000, 20_000), Traffic.NONE);

        Economics economics = CostModel.estimate(HOUR, List.of(parsing), Traffic.NONE, Map.of("parser", H100), PRICES, LLM,
                Map.of());

        RouteEconomics route = economics.routes().get(0);
        assertThat(route.shadowLlm().traffic()).isEqualTo(traffic(50, 100_000, 20_000));
        assertFigure("shadowLlm cost", route.shadowLlm().cost(), 1.6);
        assertThat(route.judgeLlm().traffic()).isEqualTo(Traffic.NONE);
        assertFigure("judgeLlm cost", route.judgeLlm().cost(), 0.0);
        assertThat(route.llm()).as("live answers only").isEqualTo(traffic(100, 10_000, 10_000));
        // GPU $4 + live LLM $0.40 + shadow $1.60; the all-LLM cost prices the answers only (no fleet, no shadow calls)
        assertFigures(route, new Expected("parsing", 6.0, 5.4, 0.9, 5.4 / 6.0, 6.0));
        assertFigure("llmCost", route.llmCost(), 2.0);
        assertFigure("total shadowLlm cost", economics.total().shadowLlm().cost(), 1.6);
        assertThat(economics.total().shadowLlm().traffic()).isEqualTo(traffic(50, 100_000, 20_000));
        assertFigures(economics.total(), new Expected(null, 6.0, 5.4, 0.9, 5.4 / 6.0, 6.0));
        assertFigure("total llmCost", economics.total().llmCost(), 2.0);
    }

    @Test
    void judgeCallsAreTheRoutesOwnLineAtTheJudgesPriceElseTheFallbacks() {
        // LLM-only routes, 20 judge calls each of 100,000 input and 10,000 output tokens
        RouteTraffic ownPrice = new RouteTraffic("priced", Map.of(), Traffic.NONE, Traffic.NONE, traffic(20, 100_000, 10_000));
        RouteTraffic fallbackPrice = new RouteTraffic("unpriced", Map.of(), Traffic.NONE, Traffic.NONE,
                traffic(20, 100_000, 10_000));

        Economics economics = CostModel.estimate(HOUR, List.of(ownPrice, fallbackPrice), Traffic.NONE, Map.of(), PRICES, LLM,
                Map.of("priced", new LlmPrices(1, 2)));

        RouteEconomics priced = economics.routes().get(0);
        assertThat(priced.judgeLlm().traffic()).isEqualTo(traffic(20, 100_000, 10_000));
        assertFigure("judge at its own $1/$2", priced.judgeLlm().cost(), 0.1 + 0.02);
        assertFigure("estimatedCost", priced.estimatedCost(), 0.12);
        assertFigure("llmCost", priced.llmCost(), 0.12);
        assertFigure("nothing answered, nothing the LLM alone would have cost", priced.allLlmCost(), 0.0);
        RouteEconomics unpriced = economics.routes().get(1);
        assertFigure("judge at the fallback's $10/$30", unpriced.judgeLlm().cost(), 1.0 + 0.3);
        assertFigure("estimatedCost", unpriced.estimatedCost(), 1.3);
        assertThat(economics.total().judgeLlm().traffic()).isEqualTo(traffic(40, 200_000, 20_000));
        assertFigure("total judge", economics.total().judgeLlm().cost(), 1.42);
        assertFigure("total estimatedCost", economics.total().estimatedCost(), 1.42);
        assertFigure("total llmCost", economics.total().llmCost(), 1.42);
        assertThat(economics.missingPrices()).isEmpty();
    }

    @Test
    void answersNoRouteMatchedAreTheAgentRoutesOwnLineInItsTotal() {
        // 100 requests the fallback answered for an unknown task: 100,000 input and 50,000 output tokens = $2.50
        RouteTraffic parsing = route("parsing", Map.of("parser", traffic(900, 200_000, 100_000)), Traffic.NONE);

        Economics economics = CostModel.estimate(HOUR, List.of(parsing), traffic(100, 100_000, 50_000),
                Map.of("parser", H100), PRICES, LLM, Map.of());

        assertThat(economics.unknownTask().traffic()).isEqualTo(traffic(100, 100_000, 50_000));
        assertFigure("unknownTask cost", economics.unknownTask().cost(), 2.5);
        assertThat(economics.routes()).extracting(RouteEconomics::route).containsExactly("parsing");
        assertFigures(economics.routes().get(0), new Expected("parsing", 4.0, 5.0, 1.0, 5.0 / 4.0, 4.0 * 1000 / 900));
        assertThat(economics.total().llm()).as("the routes' fallback answers and these").isEqualTo(traffic(100, 100_000, 50_000));
        // GPU $4 + $2.50; the LLM alone would have answered them too: $5 + $2.50
        assertFigures(economics.total(), new Expected(null, 6.5, 7.5, 0.9, 7.5 / 6.5, 6.5));
        assertFigure("total llmCost", economics.total().llmCost(), 2.5);
    }

    @Test
    void paidLlmLinesWithoutLlmPricesShowTheirTrafficAndNoCost() {
        RouteTraffic parsing = new RouteTraffic("parsing", Map.of("parser", traffic(900, 200_000, 100_000)), Traffic.NONE,
                traffic(50, 1000, 100), traffic(20, 1000, 10));

        Economics economics = CostModel.estimate(HOUR, List.of(parsing), traffic(10, 1000, 100), Map.of("parser", H100),
                PRICES, Optional.empty(), Map.of());

        RouteEconomics route = economics.routes().get(0);
        assertThat(route.shadowLlm().traffic()).isEqualTo(traffic(50, 1000, 100));
        assertThat(route.shadowLlm().cost()).isEmpty();
        assertThat(route.judgeLlm().cost()).isEmpty();
        assertThat(route.estimatedCost()).as("the shadow and judge calls are part of it").isEmpty();
        assertThat(route.llmCost()).isEmpty();
        assertThat(economics.unknownTask().traffic()).isEqualTo(traffic(10, 1000, 100));
        assertThat(economics.unknownTask().cost()).isEmpty();
        assertThat(economics.total().estimatedCost()).isEmpty();
        assertThat(economics.missingPrices()).containsExactly("LLM token prices (spec.fallback.pricing)");
    }

    private static void assertFigures(RouteEconomics actual, Expected expected) {
        assertThat(actual.route()).isEqualTo(expected.route());
        assertFigure("estimatedCost", actual.estimatedCost(), expected.estimatedCost());
        assertFigure("allLlmCost", actual.allLlmCost(), expected.allLlmCost());
        assertFigure("slmShare", actual.slmShare(), expected.slmShare());
        assertFigure("savingsRatio", actual.savingsRatio(), expected.savingsRatio());
        assertFigure("costPer1kRequests", actual.costPer1kRequests(), expected.costPer1k());
    }

    private static void assertFigure(String figure, OptionalDouble actual, Double expected) {
        if (expected == null) {
            assertThat(actual).as(figure).isEmpty();
        } else {
            assertThat(actual).as(figure).isPresent();
            assertThat(actual.getAsDouble()).as(figure).isCloseTo(expected, within(1e-9));
        }
    }

    private static RouteTraffic route(String task, Map<String, Traffic> bySpecialist, Traffic llm) {
        return new RouteTraffic(task, bySpecialist, llm);
    }

    private static Traffic traffic(long requests, long inputTokens, long outputTokens) {
        return new Traffic(requests, inputTokens, outputTokens);
    }
}
