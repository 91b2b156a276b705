package io.slmfleet.app;

import static io.slmfleet.testing.OperatorTestSupport.edit;
import static io.slmfleet.testing.OperatorTestSupport.eventually;
import static io.slmfleet.testing.OperatorTestSupport.secret;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.slmfleet.api.v1alpha1.SLMSpecialist;
import io.slmfleet.render.Manifests;
import io.slmfleet.testing.ApiRequestLog;
import io.slmfleet.testing.Golden;
import io.slmfleet.testing.ServerSideApplyKubernetesServerTestResource;

/**
 * Every request the operator actually makes, recorded by the mock API server while it reconciles the resources, is
 * allowed by {@link ApiAccess} (and so by the Helm chart's RBAC, which is tested against ApiAccess). The test drives
 * the scenario with a client of its own, told apart by its User-Agent.
 */
@QuarkusTest
@WithTestResource(ServerSideApplyKubernetesServerTestResource.class)
class ApiAccessTest {

    static final String TEST_AGENT = "slmfleet-test-driver";

    @Test
    void everyRequestTheOperatorMakesIsGranted() {
        Config config = new ConfigBuilder(Config.autoConfigure(null)).withUserAgent(TEST_AGENT).build();
        try (KubernetesClient driver = new KubernetesClientBuilder().withConfig(config).build()) {
            String namespace = "access-" + UUID.randomUUID().toString().substring(0, 8);
            driver.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
                    .create();
            driver.resource(secret(namespace, "ngc-api", "NGC_API_KEY")).create();
            driver.resource(secret(namespace, "ngc-registry", ".dockerconfigjson")).create();
            for (var object : Manifests.parse(Golden.read("slmspecialist/full.yaml"))) {
                object.getMetadata().setNamespace(namespace);
                object.getMetadata().setUid(null);
                driver.resource(object).create();
            }
            eventually().until(() -> {
                SLMSpecialist specialist = driver.resources(SLMSpecialist.class).inNamespace(namespace)
                        .withName("invoice-parser").get();
                return specialist.getStatus() != null;
            });
            // Scaling autoscaling away makes the reconciler delete children too.
            edit(driver.resources(SLMSpecialist.class).inNamespace(namespace).withName("invoice-parser"), s -> {
                s.getSpec().autoscaling = null;
                s.getSpec().replicas = 1;
                return s;
            });
            eventually().until(() -> driver.resources(SLMSpecialist.class).inNamespace(namespace).withName("invoice-parser")
                    .get().getStatus().observedGeneration == 2L);
        }

        List<ApiAccess.Rule> granted = ApiAccess.required();
        Set<String> used = ServerSideApplyKubernetesServerTestResource.requests().all().stream()
                .filter(call -> !TEST_AGENT.equals(call.userAgent()))
                .map(ApiAccessTest::asRule)
                .filter(rule -> rule != null)
                .collect(Collectors.toCollection(java.util.TreeSet::new));

        assertThat(used).as("requests the operator made")
                .contains("apps deployments watch", "apps deployments patch", " secrets get", "autoscaling horizontalpodautoscalers delete",
                        "slmfleet.io slmspecialists/status patch", " events create");
        assertThat(used).allSatisfy(request -> assertThat(granted).as("rule for %s", request).anySatisfy(rule -> {
            String[] parts = request.split(" ");
            assertThat(rule.apiGroup()).isEqualTo(parts[0]);
            assertThat(rule.resource()).isEqualTo(parts[1]);
            assertThat(rule.verbs()).contains(parts[2]);
        }));
    }

    /**
     * "group resource verb" of a request to a resource, namespaced or across all namespaces; null for discovery and for
     * the CRDs that QOSDK applies in test mode only (quarkus.operator-sdk.crd.apply is off in production).
     */
    static String asRule(ApiRequestLog.Call call) {
        List<String> segments = List.of(call.path().substring(1).split("/"));
        // api/v1/... or apis/<group>/<version>/...
        int base = segments.get(0).equals("api") ? 2 : 3;
        if (segments.size() <= base || !(segments.get(0).equals("api") || segments.get(0).equals("apis"))) {
            return null;
        }
        String group = segments.get(0).equals("api") ? "" : segments.get(1);
        if (group.equals("apiextensions.k8s.io")) {
            return null;
        }
        List<String> rest = segments.subList(base, segments.size());
        if (rest.get(0).equals("namespaces") && rest.size() > 2) {
            rest = rest.subList(2, rest.size());
        }
        String resource = rest.size() > 2 ? rest.get(0) + "/" + rest.get(2) : rest.get(0);
        boolean named = rest.size() > 1;
        String verb = switch (call.method()) {
            case GET -> call.watch() ? "watch" : named ? "get" : "list";
            case POST -> "create";
            case PUT -> "update";
            case PATCH -> "patch";
            case DELETE -> "delete";
            default -> call.method().name().toLowerCase();
        };
        return group + " " + resource + " " + verb;
    }
}
