package io.slmfleet.agentroute;

import static io.slmfleet.testing.OperatorTestSupport.createWithStatus;
import static io.slmfleet.testing.OperatorTestSupport.eventually;
import static io.slmfleet.testing.OperatorTestSupport.markRolledOut;
import static io.slmfleet.testing.OperatorTestSupport.newNamespace;
import static io.slmfleet.testing.OperatorTestSupport.secret;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.slmfleet.api.v1alpha1.AgentRoute;
import io.slmfleet.api.v1alpha1.AgentRouteStatus;
import io.slmfleet.api.v1alpha1.SLMSpecialist;
import io.slmfleet.common.Conditions;
import io.slmfleet.delegation.figures.CounterAccumulator.Series;
import io.slmfleet.economics.RouterTraffic;
import io.slmfleet.economics.SlidingIncrements;
import io.slmfleet.render.Manifests;
import io.slmfleet.testing.ServerSideApplyKubernetesServerTestResource;

/**
 * Tier 3: status.economics of an AgentRoute against fabric8's mock API server, from a fake router whose counter totals
 * the test sets: the figures, no status write while they stand still, and stale figures while they cannot be read.
 */
@QuarkusTest
@TestProfile(AgentRouteTestProfile.class)
@WithTestResource(ServerSideApplyKubernetesServerTestResource.class)
class AgentRouteEconomicsTest {

    /** The router's counter increments over the window; empty: they cannot be read. */
    static final AtomicReference<Optional<SlidingIncrements.Increments>> INCREMENTS = new AtomicReference<>(Optional.empty());
    static final Instant SINCE = Instant.parse("2026-12-02T09:00:00Z");
    static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    KubernetesClient client;

    @Inject
    MeterRegistry registry;

    @BeforeEach
    void fakeTheRouterCounters() {
        INCREMENTS.set(Optional.empty());
        QuarkusMock.installMockForType(new RouteTrafficReader((route, now) -> INCREMENTS.get()), RouteTrafficReader.class);
    }

    @Test
    void reportsTheShareAndTheSavingsAndWritesOnlyWhenAFigureMoves() throws InterruptedException {
        String namespace = routeWithItsRouterReady("economics");

        // over an hour: 900 requests answered by the specialist, 100 by the LLM, 1,000 prompt and 200 completion tokens each
        INCREMENTS.set(Optional.of(new SlidingIncrements.Increments(SINCE, SINCE.plus(Duration.ofHours(1)),
                totals(900, 100))));
        AgentRoute reported = eventually().atMost(Duration.ofSeconds(30)).until(() -> get(namespace),
                route -> route.getStatus().economics != null && route.getStatus().economics.slmRequests != null
                        && route.getStatus().economics.slmRequests == 900L);
        AgentRouteStatus.Economics economics = reported.getStatus().economics;
        assertThat(economics.slmShare).isEqualTo(90);
        assertThat(economics.llmRequests).isEqualTo(100L);
        assertThat(economics.estimatedCost).isPositive();
        assertThat(economics.allLlmCost).isPositive();
        assertThat(economics.savingsRatio).isNotNull();
        assertThat(economics.pricesMissing).isNull();
        assertThat(economics.stale).isNull();
        assertThat(Conditions.find(reported.getStatus().conditions, RouteStatusLogic.PRICES_KNOWN).orElseThrow().getStatus())
                .isEqualTo(Conditions.TRUE);
        assertThat(registry.find("slmfleet.agentroute.slm.share").tag("namespace", namespace).gauge().value()).isEqualTo(90.0);

        // the figures stand still: reconciles come (every 3 s here), the status is not written again
        String version = get(namespace).getMetadata().getResourceVersion();
        Thread.sleep(7000);
        assertThat(get(namespace).getMetadata().getResourceVersion()).isEqualTo(version);

        // the router cannot be read: the figures stay, marked stale, never zeroed
        INCREMENTS.set(Optional.empty());
        AgentRoute stale = eventually().atMost(Duration.ofSeconds(30)).until(() -> get(namespace),
                route -> Boolean.TRUE.equals(route.getStatus().economics.stale));
        assertThat(stale.getStatus().economics.slmRequests).isEqualTo(900L);
        assertThat(stale.getStatus().economics.readTime).isEqualTo(economics.readTime);
    }

    @Test
    void countsShadowJudgeAndUnknownTaskCallsAsLlmSpendOfTheirOwn() {
        String namespace = routeWithItsRouterReady("economics-paid");

        // the live traffic above, plus: 50 shadow calls to the teacher (50,000 + 10,000 tokens), 20 judge calls
        // (40,000 + 2,000) and 10 requests no route matched (10,000 + 5,000), all at $0.60 per million tokens
        Map<Series, Double> totals = totals(900, 100);
        totals.put(new Series("slmfleet_router_shadow_calls_seconds_count", Map.of("route", "extraction", "target", "fallback",
                "result", "ok")), 50.0);
        totals.put(new Series("slmfleet_router_shadow_calls_seconds_count", Map.of("route", "extraction", "target", "fallback",
                "result", "timeout")), 3.0);
        totals.put(new Series("slmfleet_router_shadow_tokens_total", Map.of("route", "extraction", "target", "fallback",
                "kind", "prompt")), 50_000.0);
        totals.put(new Series("slmfleet_router_shadow_tokens_total", Map.of("route", "extraction", "target", "fallback",
                "kind", "completion")), 10_000.0);
        totals.put(new Series("slmfleet_router_shadow_calls_seconds_count", Map.of("route", "extraction", "target", "judge",
                "result", "ok")), 20.0);
        totals.put(new Series("slmfleet_router_shadow_tokens_total", Map.of("route", "extraction", "target", "judge",
                "kind", "prompt")), 40_000.0);
        totals.put(new Series("slmfleet_router_shadow_tokens_total", Map.of("route", "extraction", "target", "judge",
                "kind", "completion")), 2_000.0);
        totals.put(new Series(RouterTraffic.REQUESTS, Map.of("route", "unknown", "target", "fallback", "outcome", "ok")), 10.0);
        totals.put(new Series(RouterTraffic.TOKENS, Map.of("route", "unknown", "target", "fallback", "kind", "prompt")), 10_000.0);
        totals.put(new Series(RouterTraffic.TOKENS, Map.of("route", "unknown", "target", "fallback", "kind", "completion")),
                5_000.0);
        INCREMENTS.set(Optional.of(new SlidingIncrements.Increments(SINCE, SINCE.plus(Duration.ofHours(1)), totals)));

        JsonNode economics = eventually().atMost(Duration.ofSeconds(30))
                .until(() -> JSON.valueToTree(get(namespace)).path("status").path("economics"),
                        status -> status.path("slmRequests").asLong() == 900L);
        JsonNode route = economics.path("routes").get(0);
        assertThat(route.path("llmRequests").asLong()).as("live answers only").isEqualTo(100L);
        assertThat(route.path("shadowLlm").path("requests").asLong()).as("answered shadow calls").isEqualTo(50L);
        assertThat(route.path("shadowLlm").path("tokens").asLong()).isEqualTo(60_000L);
        assertThat(route.path("shadowLlm").path("cost").asDouble()).isCloseTo(0.036, within(1e-9));
        assertThat(route.path("judgeLlm").path("requests").asLong()).isEqualTo(20L);
        assertThat(route.path("judgeLlm").path("tokens").asLong()).isEqualTo(42_000L);
        assertThat(route.path("judgeLlm").path("cost").asDouble()).isCloseTo(0.0252, within(1e-9));
        // live 120,000 tokens ($0.072) + shadow $0.036 + judge $0.0252
        assertThat(route.path("llmCost").asDouble()).isCloseTo(0.133, within(1e-9));
        assertThat(economics.path("unknownTask").path("requests").asLong()).isEqualTo(10L);
        assertThat(economics.path("unknownTask").path("tokens").asLong()).isEqualTo(15_000L);
        assertThat(economics.path("unknownTask").path("cost").asDouble()).isCloseTo(0.009, within(1e-9));
        assertThat(economics.path("llmRequests").asLong()).as("the routes' and the unknown task's").isEqualTo(110L);
        assertThat(economics.path("llmCost").asDouble()).isCloseTo(0.142, within(1e-9));
        assertThat(economics.path("estimatedCost").asDouble())
                .isGreaterThan(route.path("estimatedCost").asDouble());
        assertThat(economics.path("pricesMissing").isMissingNode()).isTrue();
    }

    /** A new namespace with the specialist, the LLM key and the route, its router rolled out and reported ready. */
    private String routeWithItsRouterReady(String prefix) {
        String namespace = newNamespace(client, prefix);
        createSpecialist(namespace);
        client.resource(secret(namespace, "llm-api", "API_KEY")).create();
        client.resource(route(namespace)).create();
        Deployment router = eventually().until(() -> client.apps().deployments().inNamespace(namespace)
                .withName("support-agent-router").get(), d -> d != null);
        markRolledOut(client, router, 1);
        eventually().until(() -> get(namespace).getStatus() != null && get(namespace).getStatus().routerReadyReplicas == 1);
        return namespace;
    }

    private static Map<Series, Double> totals(long bySpecialist, long byLlm) {
        Map<Series, Double> totals = new HashMap<>();
        for (var answered : Map.of("ticket-triage", bySpecialist, "fallback", byLlm).entrySet()) {
            totals.put(new Series(RouterTraffic.REQUESTS, Map.of("route", "extraction", "target", answered.getKey(),
                    "outcome", "ok")), (double) answered.getValue());
            totals.put(new Series(RouterTraffic.TOKENS, Map.of("route", "extraction", "target", answered.getKey(),
                    "kind", "prompt")), 1000.0 * answered.getValue());
            totals.put(new Series(RouterTraffic.TOKENS, Map.of("route", "extraction", "target", answered.getKey(),
                    "kind", "completion")), 200.0 * answered.getValue());
        }
        return totals;
    }

    /** The support-agent example's specialist on one NVIDIA L4, Ready with one replica. */
    private void createSpecialist(String namespace) {
        List<HasMetadata> objects = RouteDesiredStateTest.parse("support-agent");
        SLMSpecialist specialist = RouteDesiredStateTest.specialist(objects);
        specialist.getMetadata().setNamespace(namespace);
        specialist.getSpec().gpu.product = "NVIDIA-L4";
        createWithStatus(client, specialist);
    }

    /** The example's extraction route alone (served by the specialist's base model), with the LLM's prices. */
    private static AgentRoute route(String namespace) {
        AgentRoute route = Manifests.ofKind(RouteDesiredStateTest.parse("support-agent"), AgentRoute.class).get(0);
        route.getMetadata().setNamespace(namespace);
        route.getMetadata().setUid(null);
        route.getSpec().routes.removeIf(r -> !r.task.equals("extraction"));
        route.getSpec().router.replicas = 1;
        if (route.getSpec().fallback.pricing == null) {
            route.getSpec().fallback.pricing = new io.slmfleet.api.v1alpha1.LlmPricingSpec();
            route.getSpec().fallback.pricing.inputPerMillionTokens = 0.6;
            route.getSpec().fallback.pricing.outputPerMillionTokens = 0.6;
        }
        return route;
    }

    private AgentRoute get(String namespace) {
        return client.resources(AgentRoute.class).inNamespace(namespace).withName("support-agent").get();
    }
}
