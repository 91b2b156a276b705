package io.slmfleet.agentroute;

import static io.slmfleet.testing.OperatorTestSupport.createWithStatus;
import static io.slmfleet.testing.OperatorTestSupport.edit;
import static io.slmfleet.testing.OperatorTestSupport.eventually;
import static io.slmfleet.testing.OperatorTestSupport.newNamespace;
import static io.slmfleet.testing.OperatorTestSupport.secret;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.slmfleet.api.v1alpha1.AgentRoute;
import io.slmfleet.api.v1alpha1.AgentRouteStatus.DelegationPhase;
import io.slmfleet.api.v1alpha1.AgentRouteStatus.DelegationStatus;
import io.slmfleet.api.v1alpha1.SLMSpecialist;
import io.slmfleet.common.Conditions;
import io.slmfleet.delegation.CandidateCalls;
import io.slmfleet.delegation.Comparisons;
import io.slmfleet.delegation.StepFigures;
import io.slmfleet.delegation.figures.FiguresSource;
import io.slmfleet.delegation.figures.FiguresWindow;
import io.slmfleet.render.Manifests;
import io.slmfleet.routing.RoutingTable;
import io.slmfleet.routing.RoutingTableCodec;
import io.slmfleet.testing.ServerSideApplyKubernetesServerTestResource;

/**
 * Tier 3: a delegation stepped through by the AgentRoute reconciler against fabric8's mock API server, with figures from
 * a fake source standing in for the router pods' metrics: the status and the routing table at each step, a rollback,
 * and a hold while the figures cannot be read.
 */
@QuarkusTest
@TestProfile(AgentRouteTestProfile.class)
@WithTestResource(ServerSideApplyKubernetesServerTestResource.class)
class AgentRouteDelegationTest {

    /** What the fake router metrics answer for every window; empty: they cannot be read. */
    static final AtomicReference<Optional<StepFigures>> FIGURES = new AtomicReference<>(Optional.empty());
    static final List<FiguresWindow> WINDOWS_READ = java.util.Collections.synchronizedList(new ArrayList<>());

    @Inject
    KubernetesClient client;

    @BeforeEach
    void fakeTheRouterMetrics() {
        FiguresSource fake = window -> {
            WINDOWS_READ.add(window);
            return FIGURES.get();
        };
        QuarkusMock.installMockForType(new RouteDelegations(fake, address -> fake), RouteDelegations.class);
        FIGURES.set(Optional.empty());
    }

    @Test
    void aCandidateThatAgreesIsSteppedUpToTheWholeShareAndPromoted() {
        String namespace = newNamespace(client, "promote");
        create(namespace);
        // the example gates latency too (maxLatencyRatio 1.5): the candidate answers 1.1 times as slowly
        FIGURES.set(Optional.of(new StepFigures(new Comparisons(2000, 0, 0, 0), new CandidateCalls(2000, 0),
                OptionalDouble.of(1.1))));
        client.resource(route(namespace)).create();

        AgentRoute promoted = eventually().atMost(Duration.ofSeconds(60)).until(() -> get(namespace),
                route -> phase(route, "classification") == DelegationPhase.Promoted);
        DelegationStatus classification = delegation(promoted, "classification");
        assertThat(classification.weight).isEqualTo(100);
        assertThat(classification.steps).extracting(step -> step.weight).containsExactly(0, 5, 25, 50, 100);
        assertThat(classification.steps).allSatisfy(step -> assertThat(step.agreementLower).isGreaterThan(0.95));
        assertThat(Conditions.find(promoted.getStatus().conditions, RouteStatusLogic.PROMOTED).orElseThrow().getMessage())
                .contains("ticket-triage/triage-v2 promoted at 100% of live traffic",
                        "move it into the route's targets and remove the delegation in Git");
        assertThat(get(namespace).getSpec().routes.get(0).targets).as("the spec belongs to GitOps")
                .extracting(t -> t.adapter).containsExactly("triage-v1");

        RoutingTable.Route table = eventually().until(() -> table(namespace).routes().get(0),
                route -> route.delegation() != null && route.delegation().candidate().weight() > 0
                        && route.targets().get(0).weight() == 0);
        assertThat(table.targets()).extracting(RoutingTable.Target::adapter).containsExactly("triage-v1");
        eventually().until(() -> reasons(namespace).containsAll(List.of("NewCandidate", "GatesPassed")));
        assertThat(WINDOWS_READ).anySatisfy(window -> {
            assertThat(window.agentRoute()).isEqualTo("support-agent");
            assertThat(window.candidate().label()).isEqualTo("ticket-triage/triage-v2");
        });
    }

    /**
     * A reconcile that runs right after a decision (a child's event, an edit of the route) must see the status that
     * decision wrote: otherwise it decides the same step again from the status before it, with figures read anew.
     * Here the routing ConfigMap and the route's annotations are touched all the while the delegation steps.
     */
    @Test
    void eachStepIsDecidedOnceEvenWhenOtherEventsReconcileRightAfterTheDecision() throws InterruptedException {
        String namespace = newNamespace(client, "once");
        create(namespace);
        FIGURES.set(Optional.of(new StepFigures(new Comparisons(2000, 0, 0, 0), new CandidateCalls(2000, 0),
                OptionalDouble.of(1.1))));
        // every stepStartTime each step was written with, by step (null: shadowing)
        Map<Integer, Set<String>> windows = new ConcurrentHashMap<>();
        AtomicBoolean done = new AtomicBoolean();
        Watch watch = client.resources(AgentRoute.class).inNamespace(namespace).watch(new Watcher<>() {
            @Override
            public void eventReceived(Action action, AgentRoute route) {
                if (route.getStatus() != null) {
                    route.getStatus().delegations.forEach(d -> windows
                            .computeIfAbsent(d.step == null ? -1 : d.step, step -> ConcurrentHashMap.newKeySet())
                            .add(d.stepStartTime));
                }
            }

            @Override
            public void onClose(WatcherException cause) {
            }
        });
        Thread toucher = new Thread(() -> {
            for (int touch = 0; !done.get(); touch++) {
                String value = Integer.toString(touch);
                try {
                    if (client.configMaps().inNamespace(namespace).withName("support-agent-routing").get() != null) {
                        edit(client.configMaps().inNamespace(namespace).withName("support-agent-routing"),
                                c -> touched(c, value));
                    }
                    edit(client.resources(AgentRoute.class).inNamespace(namespace).withName("support-agent"),
                            r -> touched(r, value));
                    Thread.sleep(150);
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException e) {
                    // the next touch will do
                }
            }
        });
        client.resource(route(namespace)).create();
        toucher.start();
        try {
            eventually().atMost(Duration.ofSeconds(60)).until(() -> get(namespace),
                    route -> phase(route, "classification") == DelegationPhase.Promoted);
            Thread.sleep(2000); // reconciles after the promotion too
        } finally {
            done.set(true);
            toucher.join();
            watch.close();
        }

        AgentRoute promoted = get(namespace);
        assertThat(delegation(promoted, "classification").steps).extracting(step -> step.weight)
                .containsExactly(0, 5, 25, 50, 100);
        // each window started once: no step entered twice
        assertThat(windows).allSatisfy((step, starts) -> assertThat(starts).as("starts of step %s", step).hasSize(1));
        // each step's decision is one Event, recorded once
        Map<String, Integer> passed = new java.util.TreeMap<>();
        for (Event event : events(namespace)) {
            if ("GatesPassed".equals(event.getReason())) {
                String message = event.getMessage();
                passed.merge(message.substring(0, message.indexOf(" passed")), event.getCount(), Integer::sum);
            }
        }
        assertThat(passed).containsOnlyKeys("route classification: shadowing", "route classification: step 1",
                "route classification: step 2", "route classification: step 3", "route classification: the last step")
                .allSatisfy((step, times) -> assertThat(times).as("GatesPassed for %s", step).isEqualTo(1));
    }

    @Test
    void aCandidateThatDisagreesIsRolledBackToNoLiveTraffic() {
        String namespace = newNamespace(client, "rollback");
        create(namespace);
        FIGURES.set(Optional.of(new StepFigures(new Comparisons(500, 1500, 0, 0), new CandidateCalls(2000, 0),
                OptionalDouble.empty())));
        client.resource(route(namespace)).create();

        AgentRoute rolledBack = eventually().atMost(Duration.ofSeconds(60)).until(() -> get(namespace),
                route -> phase(route, "classification") == DelegationPhase.RolledBack);
        assertThat(delegation(rolledBack, "classification").weight).isZero();
        assertThat(delegation(rolledBack, "classification").lastDecision.reason).isEqualTo("AgreementBelowGate");
        assertThat(Conditions.isTrue(rolledBack.getStatus().conditions, RouteStatusLogic.ROLLED_BACK)).isTrue();
        // out of the table: neither live traffic nor shadow calls (each a paid call to the teacher)
        eventually().until(() -> table(namespace).routes().get(0).delegation() == null);
        assertThat(table(namespace).routes().get(0).targets()).extracting(RoutingTable.Target::weight).containsExactly(100);
        eventually().until(() -> events(namespace).stream()
                .anyMatch(e -> "AgreementBelowGate".equals(e.getReason()) && "Warning".equals(e.getType())));
    }

    @Test
    void figuresThatCannotBeReadHoldThePhaseAndPromoteNothing() throws InterruptedException {
        String namespace = newNamespace(client, "unreadable");
        create(namespace);
        client.resource(route(namespace)).create();

        AgentRoute held = eventually().atMost(Duration.ofSeconds(30)).until(() -> get(namespace),
                route -> Conditions.isTrue(route.getStatus() == null ? List.of() : route.getStatus().conditions,
                        RouteStatusLogic.ANALYSIS_UNAVAILABLE));
        assertThat(phase(held, "classification")).isEqualTo(DelegationPhase.Shadowing);
        Thread.sleep(3000);
        assertThat(phase(get(namespace), "classification")).isEqualTo(DelegationPhase.Shadowing);
        assertThat(delegation(get(namespace), "classification").weight).isZero();
        assertThat(table(namespace).routes().get(0).delegation().candidate().weight()).isZero();
    }

    @Test
    void whileABrokenInputKeepsTheLastGoodTableTheDelegationHolds() throws InterruptedException {
        String namespace = newNamespace(client, "brokeninput");
        create(namespace);
        FIGURES.set(Optional.of(new StepFigures(new Comparisons(2000, 0, 0, 0), new CandidateCalls(2000, 0),
                OptionalDouble.of(1.1))));
        client.resource(route(namespace)).create();
        eventually().atMost(Duration.ofSeconds(30)).until(() -> get(namespace),
                route -> phase(route, "classification") == DelegationPhase.Shadowing);

        // the fallback's Secret goes away: an input problem, the router keeps the last good table
        client.secrets().inNamespace(namespace).withName("llm-api").delete();
        AgentRoute broken = eventually().atMost(Duration.ofSeconds(30)).until(() -> get(namespace),
                route -> "SecretNotFound".equals(Conditions.find(route.getStatus().conditions, RouteStatusLogic.READY)
                        .map(c -> c.getReason()).orElse(null)));
        DelegationStatus before = delegation(broken, "classification");
        Thread.sleep(4000);

        DelegationStatus after = delegation(get(namespace), "classification");
        assertThat(after.phase).isEqualTo(before.phase);
        assertThat(after.weight).isEqualTo(before.weight);
        assertThat(after.step).isEqualTo(before.step);
    }

    private static <T extends HasMetadata> T touched(T object, String value) {
        Map<String, String> annotations = object.getMetadata().getAnnotations() == null ? new HashMap<>()
                : new HashMap<>(object.getMetadata().getAnnotations());
        annotations.put("test.slmfleet.io/touch", value);
        object.getMetadata().setAnnotations(annotations);
        return object;
    }

    /** The specialist of the support-agent example, Ready with both adapters Mounted, and the fallback's Secret. */
    private void create(String namespace) {
        client.resource(secret(namespace, "llm-api", "API_KEY")).create();
        List<HasMetadata> objects = RouteDesiredStateTest.parse("support-agent");
        SLMSpecialist specialist = RouteDesiredStateTest.specialist(objects);
        specialist.getMetadata().setNamespace(namespace);
        createWithStatus(client, specialist);
    }

    /** The example's classification delegation with one-second steps, the other routes left out. */
    private static AgentRoute route(String namespace) {
        AgentRoute route = Manifests.ofKind(RouteDesiredStateTest.parse("support-agent"), AgentRoute.class).get(0);
        route.getMetadata().setNamespace(namespace);
        route.getMetadata().setUid(null);
        route.getSpec().routes.removeIf(r -> !r.task.equals("classification"));
        route.getSpec().routes.get(0).delegation.stepInterval = "1s";
        route.getSpec().routes.get(0).delegation.minComparisons = 100;
        route.getSpec().router.replicas = 1;
        return route;
    }

    private AgentRoute get(String namespace) {
        return client.resources(AgentRoute.class).inNamespace(namespace).withName("support-agent").get();
    }

    private static DelegationStatus delegation(AgentRoute route, String task) {
        return route.getStatus().delegations.stream().filter(d -> task.equals(d.task)).findFirst().orElseThrow();
    }

    private static DelegationPhase phase(AgentRoute route, String task) {
        return route == null || route.getStatus() == null ? null : route.getStatus().delegations.stream()
                .filter(d -> task.equals(d.task)).map(d -> d.phase).findFirst().orElse(null);
    }

    private RoutingTable table(String namespace) {
        ConfigMap configMap = client.configMaps().inNamespace(namespace).withName("support-agent-routing").get();
        return RoutingTableCodec.fromJson(configMap.getData().get(RoutingTableCodec.FILE_NAME));
    }

    private List<Event> events(String namespace) {
        return client.v1().events().inNamespace(namespace).list().getItems();
    }

    private List<String> reasons(String namespace) {
        return events(namespace).stream().map(Event::getReason).toList();
    }
}
