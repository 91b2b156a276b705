package io.slmfleet.agentroute;

import static io.slmfleet.testing.OperatorTestSupport.edit;
import static io.slmfleet.testing.OperatorTestSupport.createWithStatus;
import static io.slmfleet.testing.OperatorTestSupport.eventually;
import static io.slmfleet.testing.OperatorTestSupport.markRolledOut;
import static io.slmfleet.testing.OperatorTestSupport.newNamespace;
import static io.slmfleet.testing.OperatorTestSupport.secret;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.slmfleet.api.v1alpha1.AdapterSpec;
import io.slmfleet.api.v1alpha1.AdapterStatus;
import io.slmfleet.api.v1alpha1.AgentRoute;
import io.slmfleet.api.v1alpha1.AgentRouteStatus;
import io.slmfleet.api.v1alpha1.AgentRouteStatus.Phase;
import io.slmfleet.api.v1alpha1.SLMSpecialist;
import io.slmfleet.api.v1alpha1.SLMSpecialistStatus;
import io.slmfleet.common.Conditions;
import io.slmfleet.routing.RouterContract;
import io.slmfleet.routing.RoutingTable;
import io.slmfleet.routing.RoutingTableCodec;
import io.slmfleet.testing.ApiRequestLog;
import io.slmfleet.testing.ServerSideApplyKubernetesServerTestResource;

/**
 * Tier 3: the reconciler against fabric8's mock API server. The mock runs no controllers: the tests play the
 * SLMSpecialist controller (they write specialists' status) and the Deployment controller (router readiness).
 */
@QuarkusTest
@TestProfile(AgentRouteTestProfile.class)
@WithTestResource(ServerSideApplyKubernetesServerTestResource.class)
class AgentRouteReconcilerTest {

    static final String ROUTE = "invoice-agent";
    static final String SPECIALIST = "invoice-parser";
    static final String BASE_MODEL = "meta/llama-3.2-1b-instruct";

    @Inject
    KubernetesClient client;

    @Test
    void resolvesTheInvoiceAgentAndRunsItsRouter() {
        String namespace = newNamespace(client, "route");
        createInputs(namespace);
        AgentRoute route = client.resource(route(namespace)).create();

        // A first table may be rendered before the specialist informer has seen the specialist's status (partial).
        ConfigMap configMap = eventually().until(() -> routingConfigMap(namespace), c -> c != null
                && "complete".equals(c.getMetadata().getAnnotations().get(Router.INPUT_ANNOTATION)));
        assertThat(configMap.getMetadata().getOwnerReferences()).singleElement()
                .satisfies(owner -> assertThat(owner.getUid()).isEqualTo(route.getMetadata().getUid()));
        RoutingTable.Route parsing = table(namespace).routes().get(0);
        assertThat(parsing.targets()).extracting(RoutingTable.Target::model, RoutingTable.Target::weight, RoutingTable.Target::endpoint)
                .containsExactly(
                        tuple("invoice-v3", 90, endpoint(namespace)),
                        tuple(BASE_MODEL, 10, endpoint(namespace)));
        assertThat(parsing.responseSchema()).isNotNull();

        Deployment deployment = eventually().until(() -> routerDeployment(namespace), d -> d != null);
        assertThat(deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv())
                .extracting(EnvVar::getName)
                .containsExactly(RouterContract.FALLBACK_API_KEY_ENV, RouterContract.AUTH_TOKENS_FILE_ENV);
        eventually().until(() -> client.services().inNamespace(namespace).withName("invoice-agent-router").get() != null);
        eventually().until(() -> client.resources(PodDisruptionBudget.class).inNamespace(namespace)
                .withName("invoice-agent-router").get() != null);

        AgentRoute starting = eventually().until(() -> get(namespace), r -> r.getStatus() != null);
        assertThat(starting.getStatus().phase).isEqualTo(Phase.Pending);
        assertThat(starting.getStatus().configHash).isEqualTo(RoutingConfigMap.lastGood(configMap).orElseThrow().hash());

        markRouterReady(namespace);

        AgentRoute ready = eventually().until(() -> get(namespace), r -> r.getStatus().phase == Phase.Ready);
        assertThat(ready.getStatus().endpoint).isEqualTo("http://invoice-agent-router." + namespace + ".svc:8080/v1");
        assertThat(ready.getStatus().routerReadyReplicas).isEqualTo(2);
        assertThat(ready.getStatus().observedGeneration).isEqualTo(1L);
        assertThat(ready.getStatus().targets).extracting(t -> t.weight, t -> t.ready, t -> t.endpoint).containsExactly(
                tuple(90, true, endpoint(namespace)),
                tuple(10, true, endpoint(namespace)),
                tuple(100, true, endpoint(namespace)));
        assertThat(Conditions.isTrue(ready.getStatus().conditions, RouteStatusLogic.TARGETS_READY)).isTrue();
        assertThat(Conditions.isTrue(ready.getStatus().conditions, RouteStatusLogic.ROUTER_READY)).isTrue();
        eventually().until(() -> events(namespace).stream().anyMatch(e -> "RoutingTableUpdated".equals(e.getReason())));
        eventually().until(() -> events(namespace).stream().anyMatch(e -> "Ready".equals(e.getReason())));
    }

    @Test
    void reRendersTheTableWhenASpecialistsReadinessOrAdaptersChangeWithoutRollingTheRouter() {
        String namespace = newNamespace(client, "rerender");
        converge(namespace);
        String goodHash = get(namespace).getStatus().configHash;
        Deployment router = routerDeployment(namespace);

        setSpecialistStatus(namespace, SPECIALIST, status -> status.adapters.get(0).state = AdapterStatus.State.Pending);

        eventually().until(() -> table(namespace).routes().get(0).targets().size() == 1);
        assertThat(table(namespace).routes().get(0).targets()).singleElement().satisfies(target -> {
            assertThat(target.model()).isEqualTo(BASE_MODEL);
            assertThat(target.weight()).as("the adapter's 90 moved to the base model").isEqualTo(100);
        });
        AgentRoute degraded = eventually().until(() -> get(namespace), r -> r.getStatus().phase == Phase.Degraded);
        assertThat(degraded.getStatus().targets.get(0).reason).isEqualTo(ResolvedTarget.ADAPTER_NOT_MOUNTED);
        assertThat(degraded.getStatus().targets.get(0).weight).isZero();
        assertThat(degraded.getStatus().targets.get(1).weight).isEqualTo(100);
        assertThat(degraded.getStatus().configHash).isNotEqualTo(goodHash);
        eventually().until(() -> routingConfigMap(namespace).getMetadata().getAnnotations().get(Router.CONFIG_HASH_ANNOTATION),
                degraded.getStatus().configHash::equals);

        setSpecialistStatus(namespace, SPECIALIST, status -> status.phase = SLMSpecialistStatus.Phase.Progressing);

        eventually().until(() -> table(namespace).routes().stream().allMatch(r -> r.targets().isEmpty()));
        AgentRoute fallingBack = eventually().until(() -> get(namespace),
                r -> "FallingBack".equals(condition(r, RouteStatusLogic.TARGETS_READY).getReason()));
        assertThat(condition(fallingBack, RouteStatusLogic.TARGETS_READY).getMessage())
                .contains("route parsing has no ready target: its requests go to the fallback LLM");
        assertThat(fallingBack.getStatus().targets).extracting(t -> t.reason).containsOnly(ResolvedTarget.SPECIALIST_NOT_READY);

        setSpecialistStatus(namespace, SPECIALIST, status -> {
            status.phase = SLMSpecialistStatus.Phase.Ready;
            status.adapters.get(0).state = AdapterStatus.State.Mounted;
        });

        AgentRoute recovered = eventually().until(() -> get(namespace), r -> r.getStatus().phase == Phase.Ready);
        assertThat(recovered.getStatus().configHash).as("the same input renders the same table").isEqualTo(goodHash);
        // Three table changes, a specialist flapping Ready: the router reloads its file, its pods never roll.
        Deployment after = routerDeployment(namespace);
        assertThat(after.getMetadata().getGeneration()).isEqualTo(router.getMetadata().getGeneration());
        assertThat(after.getSpec().getTemplate()).isEqualTo(router.getSpec().getTemplate());
    }

    @Test
    void aConvergedRouteMakesNoWrites() throws InterruptedException {
        String namespace = newNamespace(client, "quiet");
        converge(namespace);
        Thread.sleep(1000); // let the last status patch and events settle

        ApiRequestLog requests = ServerSideApplyKubernetesServerTestResource.requests();
        int mark = requests.mark();
        // A specialist change that does not touch routing, and an unrelated edit of a child, both wake the reconciler;
        // so does the maximum reconciliation interval (3s here). None of that may write anything.
        setSpecialistStatus(namespace, SPECIALIST, status -> status.readyReplicas = 2);
        edit(client.apps().deployments().inNamespace(namespace).withName("invoice-agent-router"), d -> {
            d.getMetadata().getAnnotations().put("example.com/touched", "yes");
            return d;
        });
        Thread.sleep(4000);

        assertThat(requests.writesSince(mark, "/namespaces/" + namespace + "/"))
                .as("writes after convergence, besides the test's own two")
                .hasSize(2);
    }

    @Test
    void anUnknownSpecialistKeepsTheLastGoodTableAndRecoversWhenItAppears() {
        String namespace = newNamespace(client, "unknown");
        converge(namespace);
        String goodTable = routingConfigMap(namespace).getData().get(RoutingTableCodec.FILE_NAME);
        String goodHash = get(namespace).getStatus().configHash;

        editRoute(namespace, route -> route.getSpec().routes.get(1).targets.get(0).specialist = "summarizer");

        AgentRoute broken = eventually().until(() -> get(namespace),
                r -> InputProblem.SPECIALIST_NOT_FOUND.equals(condition(r, RouteStatusLogic.READY).getReason()));
        assertThat(condition(broken, RouteStatusLogic.READY).getMessage())
                .startsWith("route summarization: SLMSpecialist summarizer not found")
                .endsWith("the router keeps serving the last good routing table " + goodHash);
        assertThat(broken.getStatus().configHash).isEqualTo(goodHash);
        assertThat(broken.getStatus().observedGeneration).isEqualTo(2L);
        assertThat(routingConfigMap(namespace).getData().get(RoutingTableCodec.FILE_NAME)).isEqualTo(goodTable);
        eventually().until(() -> events(namespace).stream()
                .anyMatch(e -> InputProblem.SPECIALIST_NOT_FOUND.equals(e.getReason()) && "Warning".equals(e.getType())));

        createSpecialist(namespace, "summarizer");

        eventually().until(() -> get(namespace), r -> r.getStatus().phase == Phase.Ready);
        assertThat(table(namespace).routes().get(1).targets()).singleElement()
                .satisfies(target -> assertThat(target.specialist()).isEqualTo("summarizer"));
    }

    @Test
    void anAdapterTheSpecialistDoesNotListKeepsTheLastGoodTableAndRecoversWhenListed() {
        String namespace = newNamespace(client, "adapter");
        converge(namespace);
        String goodTable = routingConfigMap(namespace).getData().get(RoutingTableCodec.FILE_NAME);

        editRoute(namespace, route -> route.getSpec().routes.get(0).targets.get(0).adapter = "invoice-v4");

        AgentRoute broken = eventually().until(() -> get(namespace),
                r -> InputProblem.ADAPTER_NOT_LISTED.equals(condition(r, RouteStatusLogic.READY).getReason()));
        assertThat(condition(broken, RouteStatusLogic.READY).getMessage())
                .startsWith("route parsing: SLMSpecialist invoice-parser does not list adapter invoice-v4");
        assertThat(broken.getStatus().targets.get(0).reason).isEqualTo(InputProblem.ADAPTER_NOT_LISTED);
        assertThat(routingConfigMap(namespace).getData().get(RoutingTableCodec.FILE_NAME)).isEqualTo(goodTable);

        SLMSpecialist specialist = edit(client.resources(SLMSpecialist.class).inNamespace(namespace).withName(SPECIALIST), s -> {
            s.getSpec().adapters.add(AdapterSpec.fromFineTuneJob("invoice-v4", "ft-invoice-v4"));
            return s;
        });
        setSpecialistStatus(namespace, specialist.getMetadata().getName(), status -> status.adapters.add(
                new AdapterStatus("invoice-v4", "fineTuneJob/ft-invoice-v4", AdapterStatus.State.Mounted, null)));

        eventually().until(() -> get(namespace), r -> r.getStatus().phase == Phase.Ready);
        assertThat(table(namespace).routes().get(0).targets().get(0).model()).isEqualTo("invoice-v4");
    }

    @Test
    void aMissingResponseSchemaIsReportedAndPickedUpOnceCreated() {
        String namespace = newNamespace(client, "noschema");
        client.resource(secret(namespace, "llm-api", "API_KEY")).create();
        client.resource(secret(namespace, "invoice-agent-callers", "tokens")).create();
        createSpecialist(namespace, SPECIALIST);
        client.resource(route(namespace)).create();

        AgentRoute broken = eventually().until(() -> get(namespace), r -> r.getStatus() != null
                && InputProblem.RESPONSE_SCHEMA_NOT_FOUND.equals(condition(r, RouteStatusLogic.READY).getReason()));
        assertThat(condition(broken, RouteStatusLogic.READY).getMessage()).isEqualTo(
                "route parsing: ConfigMap invoice-schema not found; "
                        + "there is no good routing table yet: the router serves one without the broken parts");
        assertThat(routingConfigMap(namespace).getMetadata().getAnnotations()).containsEntry(Router.INPUT_ANNOTATION, "partial");
        assertThat(table(namespace).routes()).extracting(r -> r.targets().size())
                .as("parsing goes to the fallback, summarization is served").containsExactly(0, 1);

        client.resource(schemaConfigMap(namespace, SCHEMA)).create();

        eventually().until(() -> routingConfigMap(namespace).getMetadata().getAnnotations().get(Router.INPUT_ANNOTATION),
                "complete"::equals);
        assertThat(table(namespace).routes().get(0).targets()).hasSize(2);
        assertThat(table(namespace).routes().get(0).responseSchema()).isNotNull();
        eventually().until(() -> condition(get(namespace), RouteStatusLogic.READY).getReason(),
                reason -> !InputProblem.RESPONSE_SCHEMA_NOT_FOUND.equals(reason));
    }

    @Test
    void anInvalidResponseSchemaKeepsTheLastGoodTableAndRecoversWhenFixed() {
        String namespace = newNamespace(client, "badschema");
        converge(namespace);
        String goodTable = routingConfigMap(namespace).getData().get(RoutingTableCodec.FILE_NAME);

        replaceSchema(namespace, "{\"type\": \"object\",");

        AgentRoute notJson = eventually().until(() -> get(namespace),
                r -> InputProblem.INVALID_RESPONSE_SCHEMA.equals(condition(r, RouteStatusLogic.READY).getReason()));
        assertThat(condition(notJson, RouteStatusLogic.READY).getMessage())
                .startsWith("route parsing: ConfigMap invoice-schema key schema.json is not JSON: ");
        assertThat(routingConfigMap(namespace).getData().get(RoutingTableCodec.FILE_NAME)).isEqualTo(goodTable);

        replaceSchema(namespace, "{\"type\": \"invoice\"}");

        eventually().until(() -> condition(get(namespace), RouteStatusLogic.READY).getMessage(),
                message -> message.contains("is not a valid JSON Schema"));
        assertThat(routingConfigMap(namespace).getData().get(RoutingTableCodec.FILE_NAME)).isEqualTo(goodTable);

        replaceSchema(namespace, "{\"type\": \"object\", \"required\": [\"invoiceNumber\"]}");

        eventually().until(() -> get(namespace), r -> r.getStatus().phase == Phase.Ready);
        assertThat(table(namespace).routes().get(0).responseSchema())
                .isEqualTo(Map.of("type", "object", "required", List.of("invoiceNumber")));
    }

    @Test
    void missingSecretsAreReportedAndTheRouteRecoversWhenTheyAppear() {
        String namespace = newNamespace(client, "secrets");
        client.resource(schemaConfigMap(namespace, SCHEMA)).create();
        createSpecialist(namespace, SPECIALIST);
        client.resource(route(namespace)).create();

        AgentRoute waiting = eventually().until(() -> get(namespace), r -> r.getStatus() != null
                && InputProblem.SECRET_NOT_FOUND.equals(condition(r, RouteStatusLogic.READY).getReason()));
        assertThat(condition(waiting, RouteStatusLogic.READY).getMessage()).startsWith(
                "Secret llm-api (fallback API key) not found; Secret invoice-agent-callers (router auth tokens) not found; ");
        assertThat(waiting.getStatus().phase).as("nothing serves yet").isEqualTo(Phase.Failed);
        Deployment deployment = routerDeployment(namespace);
        assertThat(deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().get(0).getValueFrom()
                .getSecretKeyRef().getName()).as("the pods wait for the Secret").isEqualTo("llm-api");
        eventually().until(() -> events(namespace).stream()
                .anyMatch(e -> InputProblem.SECRET_NOT_FOUND.equals(e.getReason()) && "Warning".equals(e.getType())));

        client.resource(secret(namespace, "llm-api", "API_KEY")).create();
        client.resource(secret(namespace, "invoice-agent-callers", "tokens")).create();
        markRouterReady(namespace);

        eventually().until(() -> get(namespace), r -> r.getStatus().phase == Phase.Ready);
        assertThat(routingConfigMap(namespace).getMetadata().getAnnotations()).containsEntry(Router.INPUT_ANNOTATION, "complete");
    }

    // --- helpers ---

    static final String SCHEMA = "{\"type\": \"object\", \"required\": [\"invoiceNumber\", \"total\"]}";

    private void converge(String namespace) {
        createInputs(namespace);
        client.resource(route(namespace)).create();
        eventually().until(() -> routerDeployment(namespace), d -> d != null);
        markRouterReady(namespace);
        eventually().until(() -> get(namespace), r -> r.getStatus() != null && r.getStatus().phase == Phase.Ready);
    }

    private void createInputs(String namespace) {
        client.resource(secret(namespace, "llm-api", "API_KEY")).create();
        client.resource(secret(namespace, "invoice-agent-callers", "tokens")).create();
        client.resource(schemaConfigMap(namespace, SCHEMA)).create();
        createSpecialist(namespace, SPECIALIST);
    }

    /** The invoice-agent example's specialist, Ready with its adapter Mounted, as the SLMSpecialist controller reports. */
    private void createSpecialist(String namespace, String name) {
        SLMSpecialist specialist = RouteDesiredStateTest.specialist(RouteDesiredStateTest.parse("invoice-agent"));
        specialist.getMetadata().setName(name);
        specialist.getMetadata().setNamespace(namespace);
        specialist.getMetadata().setUid(null);
        specialist.getStatus().endpoint = "http://" + name + "." + namespace + ".svc:8000/v1";
        createWithStatus(client, specialist);
    }

    private void setSpecialistStatus(String namespace, String name, Consumer<SLMSpecialistStatus> change) {
        SLMSpecialist specialist = client.resources(SLMSpecialist.class).inNamespace(namespace).withName(name).get();
        change.accept(specialist.getStatus());
        client.resource(specialist).updateStatus();
    }

    private void editRoute(String namespace, Consumer<AgentRoute> change) {
        edit(client.resources(AgentRoute.class).inNamespace(namespace).withName(ROUTE), route -> {
            change.accept(route);
            return route;
        });
    }

    private void replaceSchema(String namespace, String schema) {
        edit(client.configMaps().inNamespace(namespace).withName("invoice-schema"), c -> {
            c.getData().put("schema.json", schema);
            return c;
        });
    }

    private void markRouterReady(String namespace) {
        Deployment deployment = routerDeployment(namespace);
        markRolledOut(client, deployment, deployment.getSpec().getReplicas());
    }

    private static AgentRoute route(String namespace) {
        AgentRoute route = RouteDesiredStateTest.route(RouteDesiredStateTest.parse("invoice-agent"));
        route.getMetadata().setNamespace(namespace);
        route.getMetadata().setUid(null);
        return route;
    }

    private static ConfigMap schemaConfigMap(String namespace, String schema) {
        return new ConfigMapBuilder()
                .withNewMetadata().withName("invoice-schema").withNamespace(namespace).endMetadata()
                .addToData("schema.json", schema)
                .build();
    }

    private static String endpoint(String namespace) {
        return "http://" + SPECIALIST + "." + namespace + ".svc:8000/v1";
    }

    private AgentRoute get(String namespace) {
        return client.resources(AgentRoute.class).inNamespace(namespace).withName(ROUTE).get();
    }

    private ConfigMap routingConfigMap(String namespace) {
        return client.configMaps().inNamespace(namespace).withName("invoice-agent-routing").get();
    }

    private RoutingTable table(String namespace) {
        return RoutingTableCodec.fromJson(routingConfigMap(namespace).getData().get(RoutingTableCodec.FILE_NAME));
    }

    private Deployment routerDeployment(String namespace) {
        return client.apps().deployments().inNamespace(namespace).withName("invoice-agent-router").get();
    }

    private List<Event> events(String namespace) {
        return client.v1().events().inNamespace(namespace).list().getItems();
    }

    private static Condition condition(AgentRoute route, String type) {
        AgentRouteStatus status = route.getStatus();
        return status == null ? new Condition() : Conditions.find(status.conditions, type).orElseGet(Condition::new);
    }
}
