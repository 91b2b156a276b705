package io.slmfleet.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import com.fasterxml.jackson.databind.JsonNode;

/** Every manifest under examples/ is accepted by the API server with the CRDs in crds/. */
class ExamplesTest {

    static final Path EXAMPLES = Path.of("examples");

    /** Plain Kubernetes objects the examples need; their schemas are not ours to check. */
    static final Set<String> PLAIN_KINDS = Set.of("v1/ConfigMap", "v1/PersistentVolumeClaim");

    @TestFactory
    Stream<DynamicTest> everyCustomResourceInExamplesIsAccepted() {
        Map<String, CrdSchema> crds = CrdSchema.all();
        List<DynamicTest> tests = new ArrayList<>();
        for (Path file : exampleFiles()) {
            List<JsonNode> documents = KubectlYaml.readAll(file);
            for (int i = 0; i < documents.size(); i++) {
                JsonNode resource = documents.get(i);
                String kind = resource.path("kind").asText();
                String apiVersion = resource.path("apiVersion").asText();
                String name = EXAMPLES.relativize(file) + " #" + i + " " + kind + "/" + resource.path("metadata").path("name").asText();
                CrdSchema crd = crds.get(kind);
                if (crd != null && crd.apiVersion().equals(apiVersion)) {
                    tests.add(DynamicTest.dynamicTest(name, () -> assertThat(ApiServer.of(crd).create(resource).messages())
                            .as("errors for %s", name)
                            .isEmpty()));
                } else {
                    tests.add(DynamicTest.dynamicTest(name + " (plain object, schema not checked)",
                            () -> assertThat(PLAIN_KINDS).as("kind of %s", name).contains(apiVersion + "/" + kind)));
                }
            }
        }
        return tests.stream();
    }

    @Test
    void examplesCoverEveryKindAndTheInvoiceScenario() {
        List<String> kinds = new ArrayList<>();
        for (Path file : exampleFiles()) {
            KubectlYaml.readAll(file).forEach(resource -> kinds.add(resource.path("kind").asText()));
        }
        assertThat(kinds).contains("SLMSpecialist", "FineTuneJob", "AgentRoute", "CurationJob", "EvaluationJob");
        assertThat(EXAMPLES.resolve("invoice-agent")).isDirectory();
    }

    static List<Path> exampleFiles() {
        try (Stream<Path> files = Files.walk(EXAMPLES)) {
            return files.filter(file -> file.toString().endsWith(".yaml") || file.toString().endsWith(".yml"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new IllegalStateException("cannot list " + EXAMPLES, e);
        }
    }
}
