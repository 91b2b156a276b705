package io.slmfleet.agentroute;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
import io.slmfleet.api.v1alpha1.AgentRoute;
import io.slmfleet.api.v1alpha1.AgentRouteStatus;
import io.slmfleet.api.v1alpha1.AgentRouteStatus.Phase;
import io.slmfleet.api.v1alpha1.AgentRouteStatus.TargetStatus;
import io.slmfleet.api.v1alpha1.RouteSpec;
import io.slmfleet.common.Conditions;

/** Tier 1: the status an AgentRoute derives from what its reconciler observed. */
class RouteStatusLogicTest {

    static final RouteDelegations.Looked NO_DELEGATION = new RouteDelegations.Looked(Map.of(), List.of(), List.of(), false);

    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-26T10:00:00Z"), ZoneOffset.UTC);

    @Test
    void aFullyResolvedRouteWithAReadyRouterIsReady() {
        List<HasMetadata> objects = RouteDesiredStateTest.Case.INVOICE_AGENT.objects();
        RenderedRoutes rendered = RouteDesiredStateTest.render(objects);

        AgentRouteStatus status = derive(objects, rendered, List.of(), ServedTable.rendered(rendered.table()), router(2, 2));

        assertThat(status.phase).isEqualTo(Phase.Ready);
        assertThat(status.observedGeneration).isEqualTo(1L);
        assertThat(status.endpoint).isEqualTo("http://invoice-agent-router.agents.svc:8080/v1");
        assertThat(status.configHash).isEqualTo(ServedTable.rendered(rendered.table()).hash());
        assertThat(status.routerReadyReplicas).isEqualTo(2);
        assertThat(status.conditions).extracting(Condition::getType, Condition::getStatus, Condition::getReason).containsExactly(
                tuple("Ready", "True", "Ready"),
                tuple("TargetsReady", "True", "AllTargetsReady"),
                tuple("RouterReady", "True", "AllReplicasReady"));
        assertThat(status.targets).extracting(t -> t.task, t -> t.adapter, t -> t.weight, t -> t.ready).containsExactly(
                tuple("parsing", "invoice-v3", 90, true),
                tuple("parsing", null, 10, true),
                tuple("summarization", null, 100, true));
    }

    @Test
    void aRouteThatNamesOnlyItsTaskIsTheFallbacksByDesignNotADegradation() {
        List<HasMetadata> objects = RouteDesiredStateTest.Case.INVOICE_AGENT.objects();
        RouteSpec captureFirst = new RouteSpec();
        captureFirst.task = "reply-drafting";
        RouteDesiredStateTest.route(objects).getSpec().routes.add(captureFirst);
        RenderedRoutes rendered = RouteDesiredStateTest.render(objects);

        AgentRouteStatus status = derive(objects, rendered, List.of(), ServedTable.rendered(rendered.table()), router(2, 2));

        assertThat(rendered.table().routes()).filteredOn(route -> route.task().equals("reply-drafting")).singleElement()
                .satisfies(route -> assertThat(route.targets()).as("served by the fallback").isEmpty());
        assertThat(status.phase).isEqualTo(Phase.Ready);
        assertThat(status.conditions).extracting(Condition::getType, Condition::getReason)
                .contains(tuple("TargetsReady", "AllTargetsReady"));
    }

    @Test
    void anUnmountedAdapterDegradesTheRouteAndShowsTheMovedWeight() {
        List<HasMetadata> objects = RouteDesiredStateTest.Case.ADAPTER_NOT_MOUNTED.objects();
        RenderedRoutes rendered = RouteDesiredStateTest.render(objects);

        AgentRouteStatus status = derive(objects, rendered, List.of(), ServedTable.rendered(rendered.table()), router(2, 2));

        assertThat(status.phase).isEqualTo(Phase.Degraded);
        assertThat(condition(status, RouteStatusLogic.TARGETS_READY).getReason()).isEqualTo(ResolvedTarget.ADAPTER_NOT_MOUNTED);
        assertThat(condition(status, RouteStatusLogic.READY).getReason()).isEqualTo(ResolvedTarget.ADAPTER_NOT_MOUNTED);
        TargetStatus adapter = status.targets.get(0);
        assertThat(adapter.ready).isFalse();
        assertThat(adapter.weight).isZero();
        assertThat(adapter.reason).isEqualTo(ResolvedTarget.ADAPTER_NOT_MOUNTED);
        assertThat(status.targets.get(1).weight).isEqualTo(100);
    }

    @Test
    void withoutAnyGoodTableAMissingSpecialistFallsBackAndSaysSo() {
        List<HasMetadata> objects = RouteDesiredStateTest.Case.SPECIALIST_MISSING.objects();
        RenderedRoutes rendered = RouteDesiredStateTest.render(objects);

        AgentRouteStatus status = derive(objects, rendered, rendered.problems(), ServedTable.rendered(rendered.table()),
                router(2, 2));

        assertThat(status.phase).isEqualTo(Phase.Degraded);
        Condition ready = condition(status, RouteStatusLogic.READY);
        assertThat(ready.getReason()).isEqualTo(InputProblem.SPECIALIST_NOT_FOUND);
        assertThat(ready.getMessage()).isEqualTo("route parsing: SLMSpecialist invoice-parser not found; "
                + "route summarization: SLMSpecialist invoice-parser not found; "
                + "there is no good routing table yet: the router serves one without the broken parts");
        Condition targets = condition(status, RouteStatusLogic.TARGETS_READY);
        assertThat(targets.getReason()).isEqualTo(RouteStatusLogic.FALLING_BACK);
        assertThat(targets.getMessage()).contains("route parsing has no ready target: its requests go to the fallback LLM");
    }

    @Test
    void brokenInputKeepsTheLastGoodTableAndReportsItsWeights() {
        List<HasMetadata> good = RouteDesiredStateTest.Case.INVOICE_AGENT.objects();
        ServedTable lastGood = RoutingConfigMap.lastGood(RoutingConfigMap.desired(RouteDesiredStateTest.route(good),
                ServedTable.rendered(RouteDesiredStateTest.render(good).table()), true)).orElseThrow();
        List<HasMetadata> broken = RouteDesiredStateTest.Case.SPECIALIST_MISSING.objects();
        RenderedRoutes rendered = RouteDesiredStateTest.render(broken);

        AgentRouteStatus status = derive(broken, rendered, rendered.problems(), lastGood, router(2, 2));

        assertThat(status.configHash).isEqualTo(lastGood.hash());
        assertThat(condition(status, RouteStatusLogic.READY).getMessage())
                .endsWith("the router keeps serving the last good routing table " + lastGood.hash());
        assertThat(status.targets).extracting(t -> t.weight).containsExactly(90, 10, 100);
        assertThat(status.targets).extracting(t -> t.ready).containsOnly(false);
    }

    @Test
    void brokenInputWithoutAServingRouterFails() {
        List<HasMetadata> objects = RouteDesiredStateTest.Case.INVOICE_AGENT.objects();
        RenderedRoutes rendered = RouteDesiredStateTest.render(objects);
        List<InputProblem> missingSecret = List.of(new InputProblem(InputProblem.SECRET_NOT_FOUND,
                "Secret llm-api (fallback API key) not found"));

        AgentRouteStatus status = derive(objects, rendered, missingSecret, ServedTable.rendered(rendered.table()), router(2, 0));

        assertThat(status.phase).isEqualTo(Phase.Failed);
        assertThat(condition(status, RouteStatusLogic.READY).getReason()).isEqualTo(InputProblem.SECRET_NOT_FOUND);
        assertThat(condition(status, RouteStatusLogic.ROUTER_READY).getReason()).isEqualTo("Starting");
    }

    @Test
    void aRouterRolloutPastItsDeadlineWithNothingServingFails() {
        List<HasMetadata> objects = RouteDesiredStateTest.Case.INVOICE_AGENT.objects();
        RenderedRoutes rendered = RouteDesiredStateTest.render(objects);
        Deployment stalled = router(2, 0).orElseThrow();
        stalled.getStatus().getConditions().add(new DeploymentConditionBuilder()
                .withType("Progressing").withStatus("False").withReason("ProgressDeadlineExceeded").build());

        AgentRouteStatus status = derive(objects, rendered, List.of(), ServedTable.rendered(rendered.table()),
                Optional.of(stalled));

        assertThat(status.phase).isEqualTo(Phase.Failed);
        assertThat(condition(status, RouteStatusLogic.ROUTER_READY).getReason()).isEqualTo("ProgressDeadlineExceeded");
    }

    @Test
    void aRouterStillBeingCreatedIsPending() {
        List<HasMetadata> objects = RouteDesiredStateTest.Case.INVOICE_AGENT.objects();
        RenderedRoutes rendered = RouteDesiredStateTest.render(objects);

        AgentRouteStatus status = derive(objects, rendered, List.of(), ServedTable.rendered(rendered.table()), Optional.empty());

        assertThat(status.phase).isEqualTo(Phase.Pending);
        assertThat(condition(status, RouteStatusLogic.READY).getReason()).isEqualTo("Creating");
        assertThat(status.routerReadyReplicas).isZero();
    }

    @Test
    void anUnchangedConditionKeepsItsTransitionTime() {
        List<HasMetadata> objects = RouteDesiredStateTest.Case.INVOICE_AGENT.objects();
        RenderedRoutes rendered = RouteDesiredStateTest.render(objects);
        AgentRoute route = RouteDesiredStateTest.route(objects);
        route.setStatus(derive(objects, rendered, List.of(), ServedTable.rendered(rendered.table()), router(2, 2)));

        AgentRouteStatus later = RouteStatusLogic.derive(route, new RouteObservation(rendered, List.of(),
                ServedTable.rendered(rendered.table()), router(2, 2), NO_DELEGATION, null), Clock.offset(CLOCK, Duration.ofHours(1)));

        assertThat(later.conditions).isEqualTo(route.getStatus().conditions);
    }

    @Test
    void aMissingPriceIsNamedInAConditionAndNothingIsGuessed() {
        List<HasMetadata> objects = RouteDesiredStateTest.Case.INVOICE_AGENT.objects();
        RenderedRoutes rendered = RouteDesiredStateTest.render(objects);
        AgentRouteStatus.Economics economics = new AgentRouteStatus.Economics();
        economics.pricesMissing = "GPU product NVIDIA-L4 (specialist invoice-parser)";
        AgentRoute route = RouteDesiredStateTest.route(objects);

        AgentRouteStatus status = RouteStatusLogic.derive(route, new RouteObservation(rendered, List.of(),
                ServedTable.rendered(rendered.table()), router(2, 2), NO_DELEGATION, economics), CLOCK);

        Condition prices = Conditions.find(status.conditions, RouteStatusLogic.PRICES_KNOWN).orElseThrow();
        assertThat(prices.getStatus()).isEqualTo(Conditions.FALSE);
        assertThat(prices.getReason()).isEqualTo("PriceMissing");
        assertThat(prices.getMessage()).endsWith("GPU product NVIDIA-L4 (specialist invoice-parser)");
        assertThat(status.economics).isSameAs(economics);
    }

    private static AgentRouteStatus derive(List<HasMetadata> objects, RenderedRoutes rendered, List<InputProblem> problems,
            ServedTable served, Optional<Deployment> router) {
        AgentRoute route = RouteDesiredStateTest.route(objects);
        route.getMetadata().setGeneration(1L);
        return RouteStatusLogic.derive(route, new RouteObservation(rendered, problems, served, router, NO_DELEGATION, null), CLOCK);
    }

    private static Optional<Deployment> router(int wanted, int ready) {
        return Optional.of(new DeploymentBuilder()
                .withNewSpec().withReplicas(wanted).endSpec()
                .withNewStatus().withReplicas(wanted).withReadyReplicas(ready).withUpdatedReplicas(wanted).endStatus()
                .build());
    }

    private static Condition condition(AgentRouteStatus status, String type) {
        return Conditions.find(status.conditions, type).orElseThrow();
    }
    @Test
    void theDelegationsColumnShowsEveryRoutesDelegationNotOnlyTheFirst() {
        AgentRouteStatus.DelegationStatus promoted = new AgentRouteStatus.DelegationStatus();
        promoted.task = "classification";
        promoted.phase = AgentRouteStatus.DelegationPhase.Promoted;
        promoted.weight = 100;
        AgentRouteStatus.DelegationStatus rolledBack = new AgentRouteStatus.DelegationStatus();
        rolledBack.task = "summarization";
        rolledBack.phase = AgentRouteStatus.DelegationPhase.RolledBack;
        rolledBack.weight = 0;

        assertThat(RouteStatusLogic.delegationSummary(List.of(promoted, rolledBack)))
                .isEqualTo("classification Promoted 100%, summarization RolledBack 0%");
        assertThat(RouteStatusLogic.delegationSummary(List.of())).isNull();
    }
}
