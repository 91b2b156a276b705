package io.slmfleet.install;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.fabric8.kubernetes.api.model.HasMetadata;

/**
 * Server-side apply refuses a field the API server does not know ("field not declared in schema"), so nothing the
 * operator applies or the chart installs may use a field newer than the oldest Kubernetes the README supports (1.26).
 * fabric8's model is newer than that, so its builders offer such fields freely. This test knows the fields added after
 * 1.26 to the kinds the operator and the chart create, and fails when a golden child object, the chart or deploy/ uses
 * one. It is a list kept by hand (extend it when a child starts using a new kind or field); the e2e tier, run on the
 * oldest supported server, is the proof.
 */
class OldestKubernetesFieldsTest {

    /** Path suffix (list entries as []) → the Kubernetes version that added the field. */
    static final Map<String, String> NEWER_THAN_1_26 = Map.ofEntries(
            Map.entry("containers[].resizePolicy", "1.27"),
            Map.entry("initContainers[].resizePolicy", "1.27"),
            Map.entry("initContainers[].restartPolicy", "1.28 (sidecar containers)"),
            Map.entry("spec.podReplacementPolicy", "1.28"),
            Map.entry("spec.backoffLimitPerIndex", "1.28"),
            Map.entry("spec.maxFailedIndexes", "1.28"),
            Map.entry("spec.managedBy", "1.30"),
            Map.entry("spec.successPolicy", "1.30"),
            Map.entry("spec.volumeAttributesClassName", "1.29"),
            Map.entry("spec.trafficDistribution", "1.30"),
            Map.entry("securityContext.appArmorProfile", "1.30"),
            Map.entry("securityContext.supplementalGroupsPolicy", "1.31"),
            Map.entry("securityContext.seLinuxChangePolicy", "1.32"),
            Map.entry("volumeMounts[].recursiveReadOnly", "1.30"),
            Map.entry("volumes[].image", "1.31"),
            Map.entry("template.spec.resources", "1.32 (pod-level resources)"),
            Map.entry("lifecycle.stopSignal", "1.33"),
            Map.entry("template.spec.hostnameOverride", "1.34"));

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void nothingAppliedOrInstalledUsesAFieldNewerThanTheOldestSupportedKubernetes() throws IOException {
        List<HasMetadata> objects = new ArrayList<>();
        try (Stream<Path> goldens = Files.walk(Path.of("src/test/resources"))) {
            goldens.filter(file -> file.toString().endsWith(".golden.yaml")).sorted()
                    .forEach(file -> objects.addAll(HelmChart.parse(read(file))));
        }
        objects.addAll(HelmChart.parse(read(Path.of("deploy", "slm-fleet.yaml"))));
        objects.addAll(HelmChart.parse(HelmChart.templateYaml("watch: {mode: namespaces, namespaces: [agents]}")));
        assertThat(objects).as("objects to check").hasSizeGreaterThan(30);

        List<String> problems = new ArrayList<>();
        for (HasMetadata object : objects) {
            newerFields(JSON.valueToTree(object)).forEach(field -> problems.add(object.getKind() + " "
                    + object.getMetadata().getName() + ": " + field));
        }
        assertThat(problems).as("fields an API server of Kubernetes 1.26 does not know").isEmpty();
    }

    @Test
    void theCheckFindsNewerFieldsWhereverTheyAre() {
        ObjectNode job = JSON.createObjectNode();
        ObjectNode spec = job.putObject("spec").put("podReplacementPolicy", "Failed");
        ObjectNode container = spec.putObject("template").putObject("spec").putArray("containers").addObject();
        container.put("name", "trainer").putArray("resizePolicy");

        assertThat(newerFields(job)).containsExactly(
                "spec.podReplacementPolicy (Kubernetes 1.28)",
                "spec.template.spec.containers[].resizePolicy (Kubernetes 1.27)");
    }

    /** The fields of {@code object} that Kubernetes 1.26 does not know, each with the version that added it. */
    static List<String> newerFields(JsonNode object) {
        List<String> paths = new ArrayList<>();
        paths(object, "", paths);
        List<String> newer = new ArrayList<>();
        for (String path : paths) {
            NEWER_THAN_1_26.forEach((suffix, version) -> {
                if (path.equals(suffix) || path.endsWith("." + suffix)) {
                    newer.add(path + " (Kubernetes " + version + ")");
                }
            });
        }
        return newer;
    }

    /** Every field path of a JSON value, list entries written as []. */
    static void paths(JsonNode node, String prefix, List<String> into) {
        if (node.isObject()) {
            node.fields().forEachRemaining(field -> {
                String path = prefix.isEmpty() ? field.getKey() : prefix + "." + field.getKey();
                into.add(path);
                paths(field.getValue(), path, into);
            });
        } else if (node.isArray()) {
            node.forEach(item -> paths(item, prefix + "[]", into));
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
