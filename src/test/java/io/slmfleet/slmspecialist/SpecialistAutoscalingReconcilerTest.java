package io.slmfleet.slmspecialist;

import static io.slmfleet.testing.OperatorTestSupport.edit;
import static io.slmfleet.testing.OperatorTestSupport.eventually;
import static io.slmfleet.testing.OperatorTestSupport.newNamespace;
import static io.slmfleet.testing.OperatorTestSupport.pause;
import static io.slmfleet.testing.OperatorTestSupport.secret;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.slmfleet.api.v1alpha1.AutoscalingSpec.Signal;
import io.slmfleet.api.v1alpha1.AutoscalingStatus.Engine;
import io.slmfleet.api.v1alpha1.SLMSpecialist;
import io.slmfleet.common.Conditions;
import io.slmfleet.testing.ApiRequestLog;
import io.slmfleet.testing.ServerSideApplyKubernetesServerTestResource;

/**
 * Tier 3: the autoscaling engine as the cluster offers it. The mock API server's discovery serves keda.sh/v1alpha1
 * exactly while KEDA's ScaledObject CRD is registered in it (its CRUD mode answers GET /apis/keda.sh/v1alpha1 from the
 * CRDs created), so "KEDA installed" is creating that CRD, as installing KEDA does; the test profile asks discovery
 * again every second and names a Prometheus.
 */
@QuarkusTest
@WithTestResource(ServerSideApplyKubernetesServerTestResource.class)
class SpecialistAutoscalingReconcilerTest {

    private static final String KEDA_CRD = "scaledobjects.keda.sh";

    @Inject
    KubernetesClient client;

    @AfterEach
    void uninstallKeda() {
        client.apiextensions().v1().customResourceDefinitions().withName(KEDA_CRD).delete();
    }

    @Test
    void withoutKedaRequestsWaitingRunsOnAnHpaAndKedaInstalledLaterTakesOverWithoutARestart() {
        String namespace = newNamespace(client, "keda-later");
        client.resource(secret(namespace, "ngc-api", "NGC_API_KEY")).create();
        client.resource(SLMSpecialistReconcilerTest.specialist("requests-waiting-hpa", namespace)).create();

        HorizontalPodAutoscaler hpa = eventually().until(() -> hpa(namespace, "tool-caller"), h -> h != null);
        assertThat(hpa.getSpec().getMetrics()).singleElement().satisfies(metric -> {
            assertThat(metric.getPods().getMetric().getName()).isEqualTo(NimMetrics.REQUESTS_WAITING);
            assertThat(metric.getPods().getTarget().getAverageValue().toString()).isEqualTo("4");
        });
        SLMSpecialist onHpa = eventually().until(() -> get(namespace, "tool-caller"),
                s -> s.getStatus() != null && s.getStatus().autoscaling != null);
        assertThat(onHpa.getStatus().autoscaling.engine).isEqualTo(Engine.Hpa);
        assertThat(onHpa.getStatus().autoscaling.signal).isEqualTo(Signal.requestsWaiting);
        assertThat(onHpa.getStatus().autoscaling.target).isEqualTo(4);

        installKeda();

        ScaledObject scaledObject = eventually().until(() -> scaledObject(namespace, "tool-caller"), o -> o != null);
        assertThat(scaledObject.getMetadata().getOwnerReferences()).singleElement()
                .satisfies(owner -> assertThat(owner.getUid()).isEqualTo(onHpa.getMetadata().getUid()));
        eventually().until(() -> hpa(namespace, "tool-caller") == null);
        SLMSpecialist onKeda = eventually().until(() -> get(namespace, "tool-caller"),
                s -> s.getStatus().autoscaling.engine == Engine.Keda);
        assertThat(condition(onKeda, SpecialistStatusLogic.AUTOSCALER_READY).getReason()).isEqualTo("Keda");

        pause(); // the last status patch settles
        ApiRequestLog requests = ServerSideApplyKubernetesServerTestResource.requests();
        int mark = requests.mark();
        edit(client.apps().deployments().inNamespace(namespace).withName("tool-caller"), d -> {
            d.getMetadata().getAnnotations().put("example.com/touched", "yes");
            return d;
        });
        pause();
        assertThat(requests.writesSince(mark, "/namespaces/" + namespace + "/"))
                .as("writes after convergence on KEDA, besides the test's own edit")
                .hasSize(1);

        // Back to CPU, which runs on the HPA: the operator's ScaledObject goes.
        edit(client.resources(SLMSpecialist.class).inNamespace(namespace).withName("tool-caller"), s -> {
            s.getSpec().autoscaling.signal = Signal.cpu;
            return s;
        });
        eventually().until(() -> scaledObject(namespace, "tool-caller") == null);
        eventually().until(() -> hpa(namespace, "tool-caller") != null);
    }

    @Test
    void aScaledObjectOfTheSameNameSomeoneElseCreatedIsNeitherTakenOverNorDeleted() {
        installKeda();
        String namespace = newNamespace(client, "foreign-keda");
        client.resource(secret(namespace, "ngc-api", "NGC_API_KEY")).create();
        ScaledObject theirs = new ScaledObject();
        theirs.setMetadata(new ObjectMetaBuilder().withName("tool-caller")
                .withNamespace(namespace).build());
        theirs.setAdditionalProperty("spec", Map.of("scaleTargetRef", Map.of("name", "elsewhere")));
        client.resource(theirs).create();
        client.resource(SLMSpecialistReconcilerTest.specialist("requests-waiting-hpa", namespace)).create();

        SLMSpecialist conflicting = eventually().until(() -> get(namespace, "tool-caller"),
                s -> s.getStatus() != null && s.getStatus().autoscaling != null);
        assertThat(condition(conflicting, SpecialistStatusLogic.AUTOSCALER_READY).getMessage())
                .startsWith("KEDA ScaledObject " + namespace + "/tool-caller (not created by the operator)");
        pause();
        assertThat(scaledObject(namespace, "tool-caller").getAdditionalProperties().get("spec"))
                .isEqualTo(Map.of("scaleTargetRef", Map.of("name", "elsewhere")));
        assertThat(hpa(namespace, "tool-caller")).isNull();
    }

    @Test
    void anHpaSomeoneElseCreatedIsReportedAndLeftAloneAndOursFollowsItsRemoval() {
        String namespace = newNamespace(client, "foreign");
        client.resource(secret(namespace, "ngc-api", "NGC_API_KEY")).create();
        client.resource(new HorizontalPodAutoscalerBuilder()
                .withNewMetadata().withName("hand-made").withNamespace(namespace).endMetadata()
                .withNewSpec()
                    .withNewScaleTargetRef().withApiVersion("apps/v1").withKind("Deployment").withName("tool-caller")
                    .endScaleTargetRef()
                    .withMinReplicas(1)
                    .withMaxReplicas(5)
                .endSpec()
                .build()).create();
        client.resource(SLMSpecialistReconcilerTest.specialist("requests-waiting-hpa", namespace)).create();

        SLMSpecialist conflicting = eventually().until(() -> get(namespace, "tool-caller"),
                s -> s.getStatus() != null && s.getStatus().autoscaling != null);
        Condition autoscaler = condition(conflicting, SpecialistStatusLogic.AUTOSCALER_READY);
        assertThat(autoscaler.getReason()).isEqualTo("AutoscalerConflict");
        assertThat(autoscaler.getMessage()).startsWith("HorizontalPodAutoscaler " + namespace + "/hand-made (not created");
        assertThat(conflicting.getStatus().autoscaling.engine).isEqualTo(Engine.None);
        pause();
        assertThat(hpa(namespace, "tool-caller")).as("no second HPA on the same Deployment").isNull();
        assertThat(hpa(namespace, "hand-made")).as("someone else's HPA is never touched").isNotNull();
        Deployment deployment = client.apps().deployments().inNamespace(namespace).withName("tool-caller").get();
        assertThat(deployment.getSpec().getReplicas()).as("replicas stay with the existing HPA").isNull();

        client.resources(HorizontalPodAutoscaler.class).inNamespace(namespace).withName("hand-made").delete();

        eventually().until(() -> hpa(namespace, "tool-caller") != null);
        eventually().until(() -> condition(get(namespace, "tool-caller"), SpecialistStatusLogic.AUTOSCALER_READY).getReason(),
                "Hpa"::equals);
    }

    private void installKeda() {
        CustomResourceDefinition crd = new CustomResourceDefinitionBuilder()
                .withNewMetadata().withName(KEDA_CRD).endMetadata()
                .withNewSpec()
                    .withGroup(ScaledObject.GROUP)
                    .withScope("Namespaced")
                    .withNewNames().withKind(ScaledObject.KIND).withPlural("scaledobjects").withSingular("scaledobject")
                    .endNames()
                    .addNewVersion()
                        .withName(ScaledObject.VERSION).withServed(true).withStorage(true)
                        .withNewSchema().withNewOpenAPIV3Schema().withType("object")
                            .withXKubernetesPreserveUnknownFields(true).endOpenAPIV3Schema().endSchema()
                    .endVersion()
                .endSpec()
                .build();
        client.resource(crd).create();
    }

    private HorizontalPodAutoscaler hpa(String namespace, String name) {
        return client.resources(HorizontalPodAutoscaler.class).inNamespace(namespace).withName(name).get();
    }

    private ScaledObject scaledObject(String namespace, String name) {
        return client.resources(ScaledObject.class).inNamespace(namespace).withName(name).get();
    }

    private SLMSpecialist get(String namespace, String name) {
        return client.resources(SLMSpecialist.class).inNamespace(namespace).withName(name).get();
    }

    private static Condition condition(SLMSpecialist specialist, String type) {
        return Conditions.find(specialist.getStatus().conditions, type).orElseThrow();
    }
}
