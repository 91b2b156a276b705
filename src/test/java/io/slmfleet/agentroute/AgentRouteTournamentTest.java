package io.slmfleet.agentroute;

import static io.slmfleet.agentroute.EvaluationEntrantsTest.inPhase;
import static io.slmfleet.testing.OperatorTestSupport.createWithStatus;
import static io.slmfleet.testing.OperatorTestSupport.eventually;
import static io.slmfleet.testing.OperatorTestSupport.newNamespace;
import static io.slmfleet.testing.OperatorTestSupport.secret;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.slmfleet.api.v1alpha1.AgentRoute;
import io.slmfleet.api.v1alpha1.AgentRouteStatus.DelegationPhase;
import io.slmfleet.api.v1alpha1.AgentRouteStatus.DelegationStatus;
import io.slmfleet.api.v1alpha1.AgentRouteStatus.TournamentCandidate;
import io.slmfleet.api.v1alpha1.CandidateSpec;
import io.slmfleet.api.v1alpha1.CandidatesFromSpec;
import io.slmfleet.api.v1alpha1.EvaluationJob;
import io.slmfleet.api.v1alpha1.EvaluationJobSpec;
import io.slmfleet.api.v1alpha1.EvaluationJobStatus;
import io.slmfleet.api.v1alpha1.SLMSpecialist;
import io.slmfleet.delegation.CandidateCalls;
import io.slmfleet.delegation.Comparisons;
import io.slmfleet.delegation.StepFigures;
import io.slmfleet.delegation.figures.FiguresSource;
import io.slmfleet.render.Manifests;
import io.slmfleet.routing.RoutingTable;
import io.slmfleet.routing.RoutingTableCodec;
import io.slmfleet.testing.ServerSideApplyKubernetesServerTestResource;

/**
 * Tournaments against the mock API server, the router's figures faked per candidate: the cheapest candidate whose
 * gates clear is chosen (the others NotChosen, no longer compared) and steps through the live shares; a chosen
 * candidate that rolls back hands the tournament to the next one that passes; a tournament from an EvaluationJob waits
 * for it to rank its candidates, then starts with those that passed, cheapest first.
 */
@QuarkusTest
@TestProfile(AgentRouteTestProfile.class)
@WithTestResource(ServerSideApplyKubernetesServerTestResource.class)
class AgentRouteTournamentTest {

    static final String DEAR = "ticket-triage/triage-v2";
    static final String CHEAP = "triage-small/triage-v2";
    static final String UNPRICED = "triage-spare/triage-v2";

    /** What the fake router metrics answer, by candidate label (absent: no comparison yet). */
    static final Map<String, StepFigures> FIGURES = new ConcurrentHashMap<>();

    @Inject
    KubernetesClient client;

    @BeforeEach
    void fakeTheRouterMetrics() {
        FiguresSource fake = window -> Optional.of(FIGURES.getOrDefault(window.candidate().label(), figures(0, 0)));
        QuarkusMock.installMockForType(new RouteDelegations(fake, address -> fake), RouteDelegations.class);
        FIGURES.clear();
    }

    @Test
    void theCheapestCandidateWhoseGatesClearIsChosenAndPromotedTheOthersNotChosen() {
        String namespace = newNamespace(client, "tournament");
        create(namespace);
        // the dear and the unpriced candidates clear at once; the cheap one is still collecting evidence
        FIGURES.put(DEAR, figures(2000, 0));
        FIGURES.put(UNPRICED, figures(2000, 0));
        FIGURES.put(CHEAP, figures(20, 0));
        client.resource(route(namespace, DEAR, CHEAP, UNPRICED)).create();

        AgentRoute waiting = eventually().atMost(Duration.ofSeconds(30)).until(() -> get(namespace),
                route -> row(route, DEAR) != null && "CheaperCandidateCompeting".equals(row(route, DEAR).reason));
        assertThat(delegation(waiting).candidate).as("no choice while a cheaper candidate competes").isNull();
        assertThat(delegation(waiting).phase).isEqualTo(DelegationPhase.Shadowing);
        assertThat(row(waiting, CHEAP).cost).isEqualTo(0.3);
        assertThat(row(waiting, CHEAP).costSource).isEqualTo("GpuPricePerHour");
        assertThat(row(waiting, UNPRICED).cost).isNull();
        assertThat(row(waiting, UNPRICED).costSource).isEqualTo("Unknown");
        RoutingTable.Delegation shadowing = table(namespace).routes().get(0).delegation();
        assertThat(shadowing.candidate().weight()).isZero();
        assertThat(labels(shadowing)).as("every competing candidate compared on the same requests")
                .containsExactlyInAnyOrder(DEAR, CHEAP, UNPRICED);

        FIGURES.put(CHEAP, figures(2000, 0));
        AgentRoute promoted = eventually().atMost(Duration.ofSeconds(60)).until(() -> get(namespace),
                route -> delegation(route).phase == DelegationPhase.Promoted);
        DelegationStatus entry = delegation(promoted);
        assertThat(entry.candidate.specialist).isEqualTo("triage-small");
        assertThat(entry.weight).isEqualTo(100);
        assertThat(row(promoted, CHEAP).state).isEqualTo("Chosen");
        assertThat(row(promoted, DEAR).state).isEqualTo("NotChosen");
        assertThat(row(promoted, DEAR).reason).isEqualTo("AnotherCandidateChosen");
        assertThat(row(promoted, UNPRICED).state).isEqualTo("NotChosen");
        assertThat(row(promoted, CHEAP).comparisons).isEqualTo(2000);
        assertThat(row(promoted, CHEAP).agreementLower).isGreaterThan(0.95);
        RoutingTable.Delegation served = eventually().until(() -> table(namespace).routes().get(0).delegation(),
                delegation -> delegation != null && delegation.candidate().weight() > 0);
        assertThat(labels(served)).as("NotChosen candidates are no longer compared").containsExactly(CHEAP);
    }

    @Test
    void aChosenCandidateThatRollsBackHandsTheTournamentToTheNextThatPasses() {
        String namespace = newNamespace(client, "handover");
        create(namespace);
        FIGURES.put(DEAR, figures(2000, 0));
        FIGURES.put(CHEAP, figures(2000, 0));
        client.resource(route(namespace, DEAR, CHEAP)).create();

        eventually().atMost(Duration.ofSeconds(30)).until(() -> get(namespace),
                route -> delegation(route).candidate != null && "triage-small".equals(delegation(route).candidate.specialist)
                        && delegation(route).phase == DelegationPhase.Progressing);
        // live, the cheap candidate disagrees: its step rolls it back
        FIGURES.put(CHEAP, figures(500, 1500));

        AgentRoute handedOver = eventually().atMost(Duration.ofSeconds(60)).until(() -> get(namespace),
                route -> delegation(route).phase == DelegationPhase.Promoted);
        DelegationStatus entry = delegation(handedOver);
        assertThat(entry.candidate.specialist).isEqualTo("ticket-triage");
        assertThat(row(handedOver, CHEAP).state).isEqualTo("RolledBack");
        assertThat(row(handedOver, DEAR).state).isEqualTo("Chosen");
        RoutingTable.Delegation served = eventually().until(() -> table(namespace).routes().get(0).delegation(),
                delegation -> delegation != null && delegation.candidate().specialist().equals("ticket-triage")
                        && delegation.candidate().weight() > 0);
        assertThat(labels(served)).containsExactly(DEAR);
    }

    @Test
    void aTournamentFromAnEvaluationWaitsForItThenStartsWithItsPassingCandidatesCheapestFirst() {
        String namespace = newNamespace(client, "from-evaluation");
        create(namespace);
        AgentRoute route = route(namespace, DEAR);
        route.getSpec().routes.get(0).delegation.candidates = null;
        route.getSpec().routes.get(0).delegation.candidatesFrom = new CandidatesFromSpec("eval-triage");
        client.resource(route).create();

        AgentRoute missing = eventually().atMost(Duration.ofSeconds(30)).until(() -> get(namespace),
                r -> delegation(r).lastDecision != null);
        assertThat(delegation(missing).phase).isEqualTo(DelegationPhase.Waiting);
        assertThat(delegation(missing).lastDecision.reason).isEqualTo("EvaluationNotFound");

        EvaluationJob evaluation = evaluation(namespace);
        inPhase(evaluation, EvaluationJobStatus.Phase.Running);
        createWithStatus(client, evaluation);
        AgentRoute waiting = eventually().atMost(Duration.ofSeconds(30)).until(() -> get(namespace),
                r -> "EvaluationNotComplete".equals(delegation(r).lastDecision.reason));
        assertThat(delegation(waiting).phase).isEqualTo(DelegationPhase.Waiting);
        assertThat(delegation(waiting).lastDecision.message).contains("EvaluationJob eval-triage is Running");
        assertThat(table(namespace).routes().get(0).delegation()).as("no candidate compared before the evaluation ranks")
                .isNull();

        var evaluated = client.resources(EvaluationJob.class).inNamespace(namespace).withName("eval-triage");
        evaluated.updateStatus(succeeded(evaluated.get()));

        AgentRoute started = eventually().atMost(Duration.ofSeconds(30)).until(() -> get(namespace),
                r -> delegation(r).candidates != null);
        assertThat(delegation(started).phase).isEqualTo(DelegationPhase.Shadowing);
        assertThat(delegation(started).lastDecision.reason).as("opened, or at its next look already")
                .isIn("NewTournament", "TournamentCompeting");
        assertThat(delegation(started).candidates).extracting(r -> r.specialist + "/" + r.adapter)
                .as("the evaluation's passing candidates, cheapest first").containsExactly(CHEAP, DEAR);
        assertThat(row(started, CHEAP).cost).isEqualTo(0.2);
        assertThat(row(started, CHEAP).costSource).isEqualTo("EvaluationJob");
        RoutingTable.Delegation shadowing = eventually().until(() -> table(namespace).routes().get(0).delegation(),
                delegation -> delegation != null);
        assertThat(labels(shadowing)).containsExactly(CHEAP, DEAR);

        // live evidence promotes: the cheap one clears its gates and is chosen
        FIGURES.put(CHEAP, figures(2000, 0));
        FIGURES.put(DEAR, figures(2000, 0));
        AgentRoute promoted = eventually().atMost(Duration.ofSeconds(60)).until(() -> get(namespace),
                r -> delegation(r).phase == DelegationPhase.Promoted);
        assertThat(delegation(promoted).candidate.specialist).isEqualTo("triage-small");
        assertThat(row(promoted, DEAR).state).isEqualTo("NotChosen");
    }

    /** Ranks three specialists' triage-v2 adapters and the route's teacher for classification, at the gate 0.95. */
    private static EvaluationJob evaluation(String namespace) {
        EvaluationJob evaluation = new EvaluationJob();
        evaluation.setMetadata(new ObjectMetaBuilder().withName("eval-triage").withNamespace(namespace).build());
        EvaluationJobSpec spec = new EvaluationJobSpec();
        spec.dataset = new EvaluationJobSpec.Dataset();
        spec.dataset.curationJob = "cur-triage";
        spec.candidates = new ArrayList<>(List.of(evaluated("dear", DEAR), evaluated("cheap", CHEAP),
                evaluated("unpriced", UNPRICED)));
        EvaluationJobSpec.Candidate teacher = new EvaluationJobSpec.Candidate();
        teacher.name = "teacher";
        teacher.agentRouteFallback = "support-agent";
        spec.candidates.add(teacher);
        spec.gates.minAgreement = 0.95;
        evaluation.setSpec(spec);
        return evaluation;
    }

    private static EvaluationJobSpec.Candidate evaluated(String name, String label) {
        EvaluationJobSpec.Candidate candidate = new EvaluationJobSpec.Candidate();
        candidate.name = name;
        candidate.specialist = label.split("/")[0];
        candidate.adapter = label.split("/")[1];
        return candidate;
    }

    /**
     * The evaluation ranks them, as its controller writes it: the dear and the cheap one pass, the unpriced one misses
     * the gate, the teacher passes but is not a delegation target.
     */
    private static EvaluationJob succeeded(EvaluationJob evaluation) {
        evaluation.getStatus().phase = EvaluationJobStatus.Phase.Succeeded;
        evaluation.getStatus().leaderboard = List.of(EvaluationEntrantsTest.row("dear", 0.97, 0.9),
                EvaluationEntrantsTest.row("cheap", 0.96, 0.2), EvaluationEntrantsTest.row("unpriced", 0.90, null),
                EvaluationEntrantsTest.row("teacher", 0.99, 4.0));
        return evaluation;
    }

    private static StepFigures figures(long agree, long disagree) {
        return new StepFigures(new Comparisons(agree, disagree, 0, 0), new CandidateCalls(agree + disagree, 0),
                OptionalDouble.of(1.1));
    }

    private static List<String> labels(RoutingTable.Delegation delegation) {
        return java.util.stream.Stream.concat(java.util.stream.Stream.of(delegation.candidate()),
                delegation.contenders().stream()).map(t -> t.specialist() + "/" + t.adapter()).toList();
    }

    /** Three specialists like the example's, Ready with triage-v2 Mounted: on an L4 (0.8 / h), a T4 (0.3 / h), unpriced. */
    private void create(String namespace) {
        client.resource(secret(namespace, "llm-api", "API_KEY")).create();
        specialist(namespace, "ticket-triage", "NVIDIA-L4");
        specialist(namespace, "triage-small", "NVIDIA-T4");
        specialist(namespace, "triage-spare", "NVIDIA-unpriced");
    }

    private void specialist(String namespace, String name, String product) {
        List<HasMetadata> objects = RouteDesiredStateTest.parse("support-agent");
        SLMSpecialist specialist = RouteDesiredStateTest.specialist(objects);
        specialist.getMetadata().setNamespace(namespace);
        specialist.getMetadata().setName(name);
        specialist.getSpec().gpu.product = product;
        createWithStatus(client, specialist);
    }

    /** The example's classification route, its delegation a tournament of the given candidates, one-second steps. */
    private static AgentRoute route(String namespace, String... candidates) {
        AgentRoute route = Manifests.ofKind(RouteDesiredStateTest.parse("support-agent"), AgentRoute.class).get(0);
        route.getMetadata().setNamespace(namespace);
        route.getMetadata().setUid(null);
        route.getSpec().routes.removeIf(r -> !r.task.equals("classification"));
        var delegation = route.getSpec().routes.get(0).delegation;
        delegation.candidate = null;
        delegation.candidates = java.util.Arrays.stream(candidates)
                .map(label -> new CandidateSpec(label.split("/")[0], label.split("/")[1])).toList();
        delegation.stepInterval = "1s";
        delegation.minComparisons = 100;
        route.getSpec().router.replicas = 1;
        return route;
    }

    private AgentRoute get(String namespace) {
        return client.resources(AgentRoute.class).inNamespace(namespace).withName("support-agent").get();
    }

    private static DelegationStatus delegation(AgentRoute route) {
        if (route == null || route.getStatus() == null) {
            return new DelegationStatus();
        }
        return route.getStatus().delegations.stream().filter(d -> "classification".equals(d.task)).findFirst()
                .orElse(new DelegationStatus());
    }

    private static TournamentCandidate row(AgentRoute route, String label) {
        List<TournamentCandidate> rows = delegation(route).candidates;
        return rows == null ? null : rows.stream().filter(r -> (r.specialist + "/" + r.adapter).equals(label)).findFirst()
                .orElse(null);
    }

    private RoutingTable table(String namespace) {
        ConfigMap configMap = client.configMaps().inNamespace(namespace).withName("support-agent-routing").get();
        return RoutingTableCodec.fromJson(configMap.getData().get(RoutingTableCodec.FILE_NAME));
    }
}
