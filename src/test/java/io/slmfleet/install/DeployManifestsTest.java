package io.slmfleet.install;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.Serialization;

/**
 * deploy/ holds plain manifests for {@code kubectl apply -k deploy/}: the CRDs and the chart rendered with its default
 * values, in a namespace of its own, without Helm's bookkeeping labels. They are generated, never edited: after a chart
 * or CRD change, {@code mvn test -Dtest=DeployManifestsTest -Ddeploy.update=true} rewrites them.
 */
class DeployManifestsTest {

    static final Path DEPLOY = Path.of("deploy");
    static final String OPERATOR_FILE = "slm-fleet.yaml";
    private static final String HEADER = """
            # Generated from helm/slm-fleet with its default values (release and namespace slm-fleet).
            # Do not edit: regenerate with mvn test -Dtest=DeployManifestsTest -Ddeploy.update=true
            """;
    /** Labels only true of a Helm release. */
    private static final List<String> HELM_LABELS = List.of("helm.sh/chart", "app.kubernetes.io/managed-by");

    @Test
    void deployIsTheChartRenderedWithDefaultValues() throws IOException {
        Map<String, String> expected = generate();
        if (Boolean.getBoolean("deploy.update")) {
            write(expected);
        }

        assertThat(readDeploy())
                .as("deploy/ is out of date: run mvn test -Dtest=DeployManifestsTest -Ddeploy.update=true")
                .isEqualTo(expected);
    }

    @Test
    void operatorNamespaceEnforcesTheRestrictedPodSecurityStandard() throws IOException {
        List<HasMetadata> objects = HelmChart.parse(Files.readString(DEPLOY.resolve(OPERATOR_FILE)));

        assertThat(objects.get(0)).isInstanceOfSatisfying(Namespace.class, namespace -> assertThat(
                namespace.getMetadata().getLabels()).containsEntry("pod-security.kubernetes.io/enforce", "restricted"));
        assertThat(objects).filteredOn(Deployment.class::isInstance).singleElement()
                .satisfies(deployment -> assertThat(deployment.getMetadata().getNamespace())
                        .isEqualTo(objects.get(0).getMetadata().getName()));
        assertThat(objects).allSatisfy(object -> assertThat(object.getMetadata().getLabels()).doesNotContainKeys(
                HELM_LABELS.toArray(String[]::new)));
    }

    /** Relative path under deploy/ to content. */
    static Map<String, String> generate() throws IOException {
        Map<String, String> files = new TreeMap<>();
        List<String> resources = new ArrayList<>();
        for (Map.Entry<String, String> crd : ChartCrdsTest.read(ChartCrdsTest.CHART_CRDS).entrySet()) {
            files.put("crds/" + crd.getKey(), crd.getValue());
            resources.add("crds/" + crd.getKey());
        }
        files.put(OPERATOR_FILE, operatorManifests());
        resources.add(OPERATOR_FILE);
        StringBuilder kustomization = new StringBuilder(HEADER)
                .append("apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n");
        resources.forEach(resource -> kustomization.append("  - ").append(resource).append('\n'));
        files.put("kustomization.yaml", kustomization.toString());
        return files;
    }

    private static String operatorManifests() {
        StringBuilder yaml = new StringBuilder(HEADER);
        yaml.append(Serialization.asYaml(new NamespaceBuilder()
                .withNewMetadata()
                    .withName(HelmChart.NAMESPACE)
                    .addToLabels("app.kubernetes.io/part-of", "slm-fleet")
                    .addToLabels("pod-security.kubernetes.io/enforce", "restricted")
                .endMetadata()
                .build()));
        for (HasMetadata object : HelmChart.parse(HelmChart.templateYaml(""))) {
            HELM_LABELS.forEach(object.getMetadata().getLabels()::remove);
            yaml.append(Serialization.asYaml(object));
        }
        return yaml.toString();
    }

    private static Map<String, String> readDeploy() throws IOException {
        Map<String, String> files = new TreeMap<>();
        if (!Files.isDirectory(DEPLOY)) {
            return files;
        }
        try (Stream<Path> paths = Files.walk(DEPLOY)) {
            for (Path file : paths.filter(Files::isRegularFile).toList()) {
                files.put(DEPLOY.relativize(file).toString().replace('\\', '/'), Files.readString(file));
            }
        }
        return files;
    }

    private static void write(Map<String, String> files) throws IOException {
        for (String stale : readDeploy().keySet()) {
            if (!files.containsKey(stale)) {
                Files.delete(DEPLOY.resolve(stale));
            }
        }
        for (Map.Entry<String, String> file : files.entrySet()) {
            Path path = DEPLOY.resolve(file.getKey());
            Files.createDirectories(path.getParent());
            Files.writeString(path, file.getValue());
        }
    }
}
