package io.slmfleet.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.TestFactory;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.FieldValidateable;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.slmfleet.e2e.support.E2eDiagnostics;
import io.slmfleet.e2e.support.E2eHarness;
import io.slmfleet.schema.KubectlYaml;

/**
 * Every invalid resource of the schema tier (src/test/resources/invalid/&lt;kind&gt;/, each naming with
 * {@code # expect: } lines what a user is told) is rejected by the real API server with those messages: the CRDs'
 * OpenAPI schema, CEL rules and list-map keys as the API server enforces them, with kubectl's strict field validation.
 * A file with two documents is a create of the first, which must succeed, then an update to the second.
 */
@Tag("e2e")
@ExtendWith(E2eDiagnostics.class)
class AdmissionE2eTest {

    static final Path INVALID = Path.of("src/test/resources/invalid");
    static final String EXPECT = "# expect: ";
    private static final Pattern TOO_LONG = Pattern.compile("may not be longer than (\\d+)");
    private static final ObjectMapper JSON = new ObjectMapper();

    static E2eHarness harness;
    static KubernetesClient client;
    static String namespace;

    @BeforeAll
    static void createNamespace() {
        harness = E2eHarness.get();
        client = harness.client();
        namespace = harness.createNamespace("admission");
    }

    @AfterAll
    static void deleteNamespace() {
        if (namespace != null) {
            harness.deleteNamespace(namespace);
        }
    }

    @TestFactory
    Stream<DynamicTest> everyInvalidResourceIsRejectedWithItsMessage() throws IOException {
        if (!Files.isDirectory(INVALID)) {
            // reported as skipped, with the reason (an assumption in the factory itself would report nothing at all)
            return Stream.of(DynamicTest.dynamicTest("invalid resources", () -> assumeTrue(false,
                    INVALID + " is missing (the schema tier's invalid resources)")));
        }
        List<Path> files;
        try (Stream<Path> walk = Files.walk(INVALID)) {
            files = walk.filter(file -> file.toString().endsWith(".yaml")).sorted().toList();
        }
        assertThat(files).as("invalid resources under %s", INVALID).isNotEmpty();
        return files.stream().map(file -> DynamicTest.dynamicTest(INVALID.relativize(file).toString(), () -> rejects(file)));
    }

    private void rejects(Path file) throws IOException {
        List<String> expected = Files.readAllLines(file).stream()
                .filter(line -> line.startsWith(EXPECT))
                .map(line -> line.substring(EXPECT.length()))
                .toList();
        assertThat(expected).as("%s has no '%s' line", file, EXPECT.trim()).isNotEmpty();
        // as kubectl sends it: YAML 1.1 (an unquoted key "on" is the boolean true)
        List<GenericKubernetesResource> documents = KubectlYaml.readAll(file).stream()
                .map(document -> JSON.convertValue(document, GenericKubernetesResource.class))
                .toList();
        documents.forEach(document -> document.getMetadata().setNamespace(namespace));

        KubernetesClientException rejection;
        if (documents.size() == 1) {
            rejection = rejected(() -> strict(documents.get(0)).create());
        } else {
            GenericKubernetesResource created = strict(documents.get(0)).create();
            GenericKubernetesResource update = documents.get(1);
            update.getMetadata().setResourceVersion(created.getMetadata().getResourceVersion());
            try {
                rejection = rejected(() -> strict(update).update());
            } finally {
                client.resource(created).delete();
            }
        }
        String message = rejection.getStatus() != null && rejection.getStatus().getMessage() != null
                ? rejection.getStatus().getMessage()
                : rejection.getMessage();
        assertThat(expected).as("what the API server told about %s: %s", file, message)
                .allSatisfy(line -> assertThat(wordings(line)).anySatisfy(wording -> assertThat(message).contains(wording)));
    }

    /**
     * The expectation as every supported API server words it. The schema tier's lines are 1.26's wording; from 1.32
     * apimachinery's field.TooLong says how many bytes a string may hold ("may not be more than 253 bytes") where 1.26
     * said "may not be longer than 253".
     */
    static List<String> wordings(String expected) {
        String since132 = TOO_LONG.matcher(expected).replaceAll("may not be more than $1 bytes");
        return since132.equals(expected) ? List.of(expected) : List.of(expected, since132);
    }

    private static KubernetesClientException rejected(Runnable write) {
        KubernetesClientException[] caught = new KubernetesClientException[1];
        assertThatThrownBy(write::run).as("the API server accepted it").isInstanceOfSatisfying(
                KubernetesClientException.class, e -> caught[0] = e);
        return caught[0];
    }

    /** Writes with strict field validation, as kubectl does: an unknown field is an error, not silently pruned. */
    private static NonDeletingOperation<GenericKubernetesResource> strict(GenericKubernetesResource resource) {
        return client.resource(resource).fieldValidation(FieldValidateable.Validation.STRICT);
    }
}
