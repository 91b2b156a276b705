package io.slmfleet.e2e;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.ExtendWith;

import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.slmfleet.common.ApiErrors;
import io.slmfleet.e2e.support.E2eDiagnostics;
import io.slmfleet.e2e.support.E2eHarness;
import io.slmfleet.install.HelmChart;
import io.slmfleet.render.Manifests;
import io.slmfleet.slmspecialist.ScaledObject;

/**
 * What a user installs and what the operator applies, sent to the real API server: {@code crds/} (applied for real by
 * the harness), every object of {@code deploy/} and of the Helm chart's templates, and every child object of the
 * golden files, each as a server-side apply with {@code dryRun=All}. Server-side apply refuses a field the server does
 * not know ("field not declared in schema"), the CRD's CEL cost budget is checked when the CRD is applied, and
 * admission runs in a dry run: a manifest or child object that only a newer Kubernetes accepts fails here.
 */
@Tag("e2e")
@ExtendWith(E2eDiagnostics.class)
class InstallE2eTest {

    private static final String FIELD_MANAGER = "e2e-install";
    private static final Path GOLDENS = Path.of("src/test/resources");

    static E2eHarness harness;
    static KubernetesClient client;
    static String namespace;

    @BeforeAll
    static void createNamespaces() {
        harness = E2eHarness.get();
        client = harness.client();
        namespace = harness.createNamespace("install");
        E2eHarness.installThirdPartyCrds(client);
        // deploy/ and the chart install into slm-fleet: a dry run still needs the namespace to exist
        if (client.namespaces().withName(HelmChart.NAMESPACE).get() == null) {
            client.resource(new NamespaceBuilder()
                    .withNewMetadata().withName(HelmChart.NAMESPACE).addToLabels(E2eHarness.NAMESPACE_LABEL, "true").endMetadata()
                    .build()).create();
        }
    }

    @AfterAll
    static void deleteNamespaces() {
        if (namespace != null) {
            harness.deleteNamespace(namespace);
        }
    }

    @Test
    void theCrdsInstallAndAreEstablished() {
        List<CustomResourceDefinition> installed = client.apiextensions().v1().customResourceDefinitions().list().getItems()
                .stream().filter(crd -> crd.getSpec().getGroup().equals("slmfleet.io")).toList();
        assertThat(installed).extracting(crd -> crd.getMetadata().getName()).containsExactlyInAnyOrder(
                "slmspecialists.slmfleet.io", "finetunejobs.slmfleet.io", "agentroutes.slmfleet.io", "curationjobs.slmfleet.io",
                "evaluationjobs.slmfleet.io");
    }

    @TestFactory
    Stream<DynamicTest> everyObjectOfDeployIsAccepted() {
        return dryRunEach(Manifests.parse(E2eHarness.read(Path.of("deploy", "slm-fleet.yaml"))).stream()
                .filter(object -> !(object instanceof Namespace))
                .toList());
    }

    @TestFactory
    Stream<DynamicTest> everyObjectOfTheHelmChartIsAccepted() {
        return Stream.of("", "watch: {mode: namespaces, namespaces: [" + namespace + "]}")
                .flatMap(values -> dryRunEach(HelmChart.parse(HelmChart.templateYaml(values))));
    }

    /** The desired state of every golden case, in a test namespace: what the operator would apply there. */
    @TestFactory
    Stream<DynamicTest> everyGoldenChildObjectIsAccepted() throws IOException {
        List<HasMetadata> children;
        try (Stream<Path> files = Files.walk(GOLDENS)) {
            children = files.filter(file -> file.toString().endsWith(".golden.yaml"))
                    .sorted()
                    .flatMap(file -> Manifests.parse(E2eHarness.read(file)).stream())
                    .toList();
        }
        assertThat(children).as("golden child objects under %s", GOLDENS).hasSizeGreaterThan(20);
        children.forEach(child -> {
            child.getMetadata().setNamespace(namespace);
            // the offline render has no owners' UIDs; a real owner always has one
            child.getMetadata().getOwnerReferences().stream()
                    .filter(owner -> owner.getUid() == null || owner.getUid().isEmpty())
                    .forEach(owner -> owner.setUid(UUID.nameUUIDFromBytes(owner.getName().getBytes(UTF_8)).toString()));
        });
        return dryRunEach(children);
    }

    /** KEDA's ScaledObject is served only where its CRD is installed; every other golden kind is Kubernetes' or ours. */
    private static boolean served(HasMetadata object) {
        if (!ScaledObject.API_VERSION.equals(object.getApiVersion())) {
            return true;
        }
        APIResourceList resources = client.getApiResources(ScaledObject.API_VERSION);
        return resources != null && resources.getResources().stream()
                .anyMatch(resource -> ScaledObject.KIND.equals(resource.getKind()));
    }

    private static Stream<DynamicTest> dryRunEach(List<HasMetadata> objects) {
        return objects.stream().map(object -> DynamicTest.dynamicTest(
                object.getKind() + " " + object.getMetadata().getName(), () -> {
                    Assumptions.assumeTrue(served(object), () -> object.getApiVersion() + " " + object.getKind()
                            + " is not served by this API server: pass -D" + E2eHarness.THIRD_PARTY_CRDS_PROPERTY
                            + "=<folder with its CRD> to check it (docs/e2e.md)");
                    try {
                        client.resource(object).dryRun().fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply();
                    } catch (KubernetesClientException e) {
                        fail("server-side apply (dry run) of %s %s: %s", object.getKind(), object.getMetadata().getName(),
                                ApiErrors.describe(e));
                    }
                }));
    }
}
