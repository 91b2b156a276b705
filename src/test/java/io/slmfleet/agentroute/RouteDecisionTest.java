package io.slmfleet.agentroute;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.slmfleet.api.v1alpha1.AgentRoute;
import io.slmfleet.api.v1alpha1.SLMSpecialist;
import io.slmfleet.economics.GpuPrices;
import io.slmfleet.render.Manifests;

/**
 * Tier 1: when an AgentRoute is looked at again without an event, decided from an observation alone. Its referenced
 * Secrets are not watched, and its delegations' figures grow without an event.
 */
class RouteDecisionTest {

    private static final Duration MISSING_REFERENCE_RECHECK = Duration.ofSeconds(30);
    private static final SecretKey FALLBACK_KEY = new SecretKey("llm-api", "API_KEY");

    @ParameterizedTest(name = "fallback key {0}, last good table {1}, analysis every {2}s: again after {3}")
    @CsvSource({
            // a broken input before any good table: the delegations still move, so the sooner of the two
            "SECRET_NOT_FOUND, false, 10, PT10S",
            "SECRET_NOT_FOUND, false, 60, PT30S",
            // the last good table serves: the delegations hold, only the missing Secret is looked for
            "SECRET_NOT_FOUND, true, 10, PT30S",
            "FOUND, false, 60, PT60S",
    })
    void aRouteIsLookedAtAgainForItsMissingReferencesAndItsComparedCandidates(SecretKey.Presence fallbackKey,
            boolean lastGoodTable, long analysisSeconds, Duration expected) {
        List<HasMetadata> objects = RouteDesiredStateTest.parse("support-agent");
        AgentRoute route = RouteDesiredStateTest.route(objects);
        List<SLMSpecialist> specialists = Manifests.ofKind(objects, SLMSpecialist.class);
        Optional<ConfigMap> routingTable = lastGoodTable ? Optional.of(RoutingConfigMap.desired(route,
                ServedTable.rendered(RoutingTableRenderer.render(route, specialists, Map.of(), Map.of()).table()), true))
                : Optional.empty();
        Observed observed = new Observed(RouteStatusLogicTest.CLOCK.instant(), specialists, List.of(), Map.of(), Map.of(),
                Map.of(FALLBACK_KEY, fallbackKey), Optional.empty(),
                new Observed.Children(routingTable, Optional.empty(), Optional.empty(), Optional.empty()));
        RouteDecision.Settings settings = new RouteDecision.Settings(RouteDesiredStateTest.SETTINGS,
                new GpuPrices(Map.of(), Map.of()), MISSING_REFERENCE_RECHECK, Duration.ofSeconds(analysisSeconds));

        RouteDecision decision = RouteDecision.of(route, observed, settings, RouteStatusLogicTest.CLOCK);

        assertThat(decision.lookAgainAfter()).contains(expected);
    }
}
