package io.slmfleet.agentroute;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.slmfleet.api.v1alpha1.AdapterStatus;
import io.slmfleet.api.v1alpha1.AgentRoute;
import io.slmfleet.api.v1alpha1.AgentRouteStatus.DelegationPhase;
import io.slmfleet.api.v1alpha1.SLMSpecialist;
import io.slmfleet.render.Manifests;
import io.slmfleet.routing.RouterContract;
import io.slmfleet.routing.RoutingTable;
import io.slmfleet.routing.RoutingTableCodec;
import io.slmfleet.testing.Golden;

/** Tier 1: the routing tables and router workloads an AgentRoute renders into, compared with reviewed goldens. */
class RouteDesiredStateTest {

    static final RouterSettings SETTINGS = new RouterSettings("ghcr.io/slmfleet/slm-fleet-operator:0.1.0");

    /** The invoice-agent example, and the degraded states of its namespace, derived from it. */
    enum Case {
        INVOICE_AGENT("invoice-agent", "invoice-agent", objects -> {
        }),
        /** ft-invoice-v3 is still training: the adapter's 90 go to the base model. */
        ADAPTER_NOT_MOUNTED("invoice-agent", "adapter-not-mounted", objects -> {
            AdapterStatus adapter = specialist(objects).getStatus().adapters.get(0);
            adapter.state = AdapterStatus.State.Pending;
            adapter.message = "FineTuneJob ft-invoice-v3 is Running";
        }),
        /** invoice-parser does not exist (yet): no target is ready, the routes go to the fallback. */
        SPECIALIST_MISSING("invoice-agent", "specialist-missing", objects -> objects.remove(specialist(objects))),
        MINIMAL("minimal", "minimal", objects -> {
        });

        final String input;
        final String golden;
        final Consumer<List<HasMetadata>> change;

        Case(String input, String golden, Consumer<List<HasMetadata>> change) {
            this.input = input;
            this.golden = golden;
            this.change = change;
        }

        List<HasMetadata> objects() {
            List<HasMetadata> objects = new ArrayList<>(parse(input));
            change.accept(objects);
            return objects;
        }
    }

    @ParameterizedTest
    @EnumSource(Case.class)
    void rendersTheGoldenRoutingTable(Case c) {
        RenderedRoutes rendered = render(c.objects());
        Golden.assertMatches(RoutingTableCodec.toJson(rendered.table()), "agentroute/" + c.golden + ".routing-table.golden.json");
    }

    @ParameterizedTest
    @EnumSource(Case.class)
    void reconcilesIntoTheGoldenRouterWorkload(Case c) {
        List<HasMetadata> objects = c.objects();
        RenderedRoutes rendered = render(objects);
        RouteChildren children = RouteChildren.desired(route(objects), ServedTable.rendered(rendered.table()),
                rendered.problems().isEmpty(), SETTINGS);
        Golden.assertMatches(Manifests.toYaml(children.all()), "agentroute/" + c.golden + ".golden.yaml");
    }

    @Test
    void theInvoiceAgentIsFullyResolved() {
        RenderedRoutes rendered = render(Case.INVOICE_AGENT.objects());

        assertThat(rendered.problems()).isEmpty();
        assertThat(rendered.targets()).allSatisfy(target -> assertThat(target.ready()).isTrue());
        RoutingTable.Route parsing = rendered.table().routes().get(0);
        assertThat(parsing.targets()).extracting(RoutingTable.Target::model, RoutingTable.Target::weight)
                .containsExactly(tuple("invoice-v3", 90),
                        tuple("meta/llama-3.2-1b-instruct", 10));
        assertThat(parsing.timeoutMillis()).isEqualTo(15_000);
        assertThat(parsing.responseSchema()).isNotNull();
        assertThat(rendered.table().fallback().apiKeyEnv()).isEqualTo(RouterContract.FALLBACK_API_KEY_ENV);
        assertThat(rendered.table().fallback().on()).as("an empty on means every reason")
                .containsExactly(RoutingTable.FallbackReason.values());
        assertThat(rendered.table().usageCapture().directory()).isEqualTo(RouterContract.USAGE_DIRECTORY);
        assertThat(RoutingTableCodec.toJson(rendered.table())).as("Secrets are named in the router Deployment only").doesNotContain("llm-api", "invoice-agent-callers");
    }

    @Test
    void anUnmountedAdapterGivesItsWeightToTheBaseModel() {
        RenderedRoutes rendered = render(Case.ADAPTER_NOT_MOUNTED.objects());

        assertThat(rendered.problems()).as("a pending adapter is not broken input").isEmpty();
        ResolvedTarget adapter = rendered.targets().get(0);
        assertThat(adapter.ready()).isFalse();
        assertThat(adapter.reason()).isEqualTo(ResolvedTarget.ADAPTER_NOT_MOUNTED);
        assertThat(adapter.message()).isEqualTo(
                "adapter invoice-v3 of SLMSpecialist invoice-parser is Pending: FineTuneJob ft-invoice-v3 is Running");
        assertThat(rendered.table().routes().get(0).targets()).singleElement()
                .satisfies(target -> {
                    assertThat(target.adapter()).isNull();
                    assertThat(target.weight()).isEqualTo(100);
                });
    }

    @Test
    void aMissingSpecialistSendsItsRoutesToTheFallback() {
        RenderedRoutes rendered = render(Case.SPECIALIST_MISSING.objects());

        assertThat(rendered.table().routes()).allSatisfy(route -> assertThat(route.targets()).isEmpty());
        assertThat(rendered.problems()).extracting(InputProblem::reason).containsOnly(InputProblem.SPECIALIST_NOT_FOUND);
        assertThat(rendered.problems()).extracting(InputProblem::message).containsExactly(
                "route parsing: SLMSpecialist invoice-parser not found",
                "route summarization: SLMSpecialist invoice-parser not found");
        ServedTable served = ServedTable.rendered(rendered.table());
        assertThat(served.fallsBack()).isTrue();
        assertThat(served.tasksWithoutTarget()).containsExactly("parsing", "summarization");
    }

    @Test
    void aMinimalRouteComputesTheSpecialistEndpointAndHasNoDisruptionBudget() {
        List<HasMetadata> objects = Case.MINIMAL.objects();
        RenderedRoutes rendered = render(objects);
        RouteChildren children = RouteChildren.desired(route(objects), ServedTable.rendered(rendered.table()), true, SETTINGS);

        assertThat(rendered.table().routes().get(0).targets()).singleElement()
                .satisfies(target -> assertThat(target.endpoint()).isEqualTo("http://summarizer.agents.svc:8000/v1"));
        assertThat(rendered.table().fallback()).isNull();
        assertThat(children.disruptionBudget()).isEmpty();
    }

    @Test
    void theRouterMountsTheTableAsAWholeDirectoryAndNeverRollsForIt() {
        List<HasMetadata> objects = Case.INVOICE_AGENT.objects();
        ServedTable served = ServedTable.rendered(render(objects).table());
        RouteChildren children = RouteChildren.desired(route(objects), served, true, SETTINGS);
        ServedTable fallbackOnly = ServedTable.rendered(render(List.<HasMetadata>of(route(objects))).table());

        Deployment deployment = children.deployment();
        assertThat(fallbackOnly.hash()).isNotEqualTo(served.hash());
        assertThat(RouteChildren.desired(route(objects), fallbackOnly, true, SETTINGS).deployment())
                .as("another table, the same router pods").isEqualTo(deployment);
        assertThat(deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getVolumeMounts())
                .filteredOn(mount -> mount.getMountPath().equals(RouterContract.TABLE_DIRECTORY))
                .singleElement()
                .satisfies(mount -> assertThat(mount.getSubPath()).as("kubelet refreshes no subPath mount").isNull());
        ConfigMap table = children.routingTable();
        assertThat(RoutingTableCodec.fromJson(table.getData().get(RoutingTableCodec.FILE_NAME))).isEqualTo(served.table());
        assertThat(served.hash()).startsWith("sha256:").hasSize("sha256:".length() + 64);
    }

    @Test
    void desiredStateIsAPureFunctionOfItsInputs() {
        List<HasMetadata> objects = Case.INVOICE_AGENT.objects();
        assertThat(RoutingTableCodec.toJson(render(objects).table())).isEqualTo(RoutingTableCodec.toJson(render(objects).table()));
    }

    @Test
    void aDelegationsCandidateServesItsLiveShareAndTheTargetsKeepTheirRatio() {
        List<HasMetadata> objects = parse("support-agent");
        RenderedRoutes rendered = RoutingTableRenderer.render(route(objects), Manifests.ofKind(objects, SLMSpecialist.class),
                Map.of(), Map.of("classification", progressing(25), "summarization", progressing(10)));

        Golden.assertMatches(RoutingTableCodec.toJson(rendered.table()), "agentroute/support-agent.routing-table.golden.json");
        RoutingTable.Route classification = rendered.table().routes().get(0);
        assertThat(classification.targets()).extracting(RoutingTable.Target::weight).containsExactly(75 * 100);
        assertThat(classification.delegation().candidate().weight()).as("25 %% of the pick").isEqualTo(25 * 100);
        RoutingTable.Route summarization = rendered.table().routes().get(2);
        assertThat(summarization.targets()).isEmpty();
        assertThat(summarization.delegation().candidate().weight()).as("a percentage beside the fallback").isEqualTo(10);
    }

    @Test
    void atTheWholeShareTheTargetsStayToCompareWith() {
        List<HasMetadata> objects = parse("support-agent");
        RoutingTable.Route classification = RoutingTableRenderer.render(route(objects),
                Manifests.ofKind(objects, SLMSpecialist.class), Map.of(), Map.of("classification", progressing(100))).table().routes().get(0);

        assertThat(classification.targets()).extracting(RoutingTable.Target::adapter, RoutingTable.Target::weight)
                .containsExactly(tuple("triage-v1", 0));
        assertThat(classification.delegation().candidate().weight()).isEqualTo(100 * 100);
    }

    @Test
    void aCandidateThatCannotAnswerIsNotCompared() {
        List<HasMetadata> objects = parse("support-agent");
        specialist(objects).getStatus().adapters.get(0).state = AdapterStatus.State.Pending;
        RoutingTable.Route classification = RoutingTableRenderer.render(route(objects),
                Manifests.ofKind(objects, SLMSpecialist.class), Map.of(), Map.of("classification", progressing(25))).table().routes().get(0);

        assertThat(classification.delegation()).isNull();
        assertThat(classification.targets()).extracting(RoutingTable.Target::weight).containsExactly(100);
        assertThat(RoutingTableRenderer.candidates(route(objects), Manifests.ofKind(objects, SLMSpecialist.class))
                .get("classification").reason()).isEqualTo(ResolvedTarget.ADAPTER_NOT_MOUNTED);
    }

    @Test
    void aRolledBackCandidateIsNeitherServedNorCompared() {
        List<HasMetadata> objects = parse("support-agent");
        AgentRoute route = route(objects);
        RoutingTable.Route classification = RoutingTableRenderer.render(route, Manifests.ofKind(objects, SLMSpecialist.class),
                Map.of(), Map.of("classification", CandidateServing.of(DelegationPhase.RolledBack, 0,
                        route.getSpec().routes.get(0).delegation))).table().routes().get(0);

        assertThat(classification.delegation()).as("no shadow calls to a rolled-back candidate").isNull();
        assertThat(classification.targets()).extracting(RoutingTable.Target::weight).containsExactly(100);
    }

    @Test
    void aPromotedCandidateKeepsItsShareAndIsComparedOnlyAtTheWatchRate() {
        List<HasMetadata> objects = parse("support-agent");
        AgentRoute route = route(objects);
        RoutingTable.Route classification = RoutingTableRenderer.render(route, Manifests.ofKind(objects, SLMSpecialist.class),
                Map.of(), Map.of("classification", CandidateServing.of(DelegationPhase.Promoted, 100,
                        route.getSpec().routes.get(0).delegation))).table().routes().get(0);

        assertThat(classification.delegation().candidate().weight()).isEqualTo(100 * 100);
        assertThat(classification.delegation().shadowRate()).as("the watch rate's default").isEqualTo(0.01);
    }

    /** A tournament before its first look: every ready candidate compared on the same requests, none live. */
    @Test
    void rendersTheGoldenRoutingTableOfATournament() {
        List<HasMetadata> objects = new ArrayList<>(parse("support-agent"));
        SLMSpecialist small = specialist(parse("support-agent"));
        small.getMetadata().setName("triage-small");
        small.getStatus().endpoint = "http://triage-small.agents.svc:8000/v1";
        objects.add(small);
        AgentRoute route = route(objects);
        route.getSpec().routes.removeIf(r -> !r.task.equals("classification"));
        var delegation = route.getSpec().routes.get(0).delegation;
        delegation.candidates = List.of(new io.slmfleet.api.v1alpha1.CandidateSpec("ticket-triage", "triage-v2"),
                new io.slmfleet.api.v1alpha1.CandidateSpec("triage-small", "triage-v2"),
                new io.slmfleet.api.v1alpha1.CandidateSpec("triage-missing", null));
        delegation.candidate = null;
        RenderedRoutes rendered = RoutingTableRenderer.render(route, Manifests.ofKind(objects, SLMSpecialist.class),
                Map.of(), Map.of());
        Golden.assertMatches(RoutingTableCodec.toJson(rendered.table()),
                "agentroute/support-agent-tournament.routing-table.golden.json");

        // chosen: the chosen one alone, with its share
        RoutingTable.Route chosen = RoutingTableRenderer.render(route, Manifests.ofKind(objects, SLMSpecialist.class),
                Map.of(), Map.of("classification", new CandidateServing(5, 0.1,
                        List.of(new io.slmfleet.delegation.Candidate("triage-small", "triage-v2"))))).table().routes().get(0);
        assertThat(chosen.delegation().candidate().specialist()).isEqualTo("triage-small");
        assertThat(chosen.delegation().candidate().weight()).isPositive();
        assertThat(chosen.delegation().contenders()).isEmpty();
    }

    private static CandidateServing progressing(int share) {
        return new CandidateServing(share, 0.1);
    }

    static RenderedRoutes render(List<HasMetadata> objects) {
        AgentRoute route = route(objects);
        Map<SchemaRef, ResponseSchema> schemas = new LinkedHashMap<>();
        for (SchemaRef ref : RoutingTableRenderer.schemaRefs(route)) {
            ConfigMap configMap = Manifests.ofKind(objects, ConfigMap.class).stream()
                    .filter(c -> c.getMetadata().getName().equals(ref.configMap())).findFirst().orElse(null);
            schemas.put(ref, ResponseSchemas.read(ref, configMap));
        }
        return RoutingTableRenderer.render(route, Manifests.ofKind(objects, SLMSpecialist.class), schemas, Map.of());
    }

    static AgentRoute route(List<HasMetadata> objects) {
        return Manifests.ofKind(objects, AgentRoute.class).get(0);
    }

    static SLMSpecialist specialist(List<HasMetadata> objects) {
        return Manifests.ofKind(objects, SLMSpecialist.class).get(0);
    }

    static List<HasMetadata> parse(String name) {
        try {
            return Manifests.parse(Files.readString(Path.of("src/test/resources/agentroute/" + name + ".yaml")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
