package io.slmfleet.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

/**
 * The examples hang together the way the operator needs them to: adapters come from FineTuneJobs trained on the
 * specialist's base model, routes target existing specialists and adapters, and the invoice-agent folder holds every
 * plain object it references, while Secrets are only documented (the user creates them).
 */
class ExampleReferencesTest {

    static final Path SCENARIO = Path.of("examples/invoice-agent");
    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void invoiceScenarioIsConsistent() {
        assertThat(problems(resources(SCENARIO))).isEmpty();
    }

    @Test
    void standaloneExamplesReferToEachOther() {
        List<JsonNode> resources = new ArrayList<>();
        for (String file : List.of("slmspecialist.yaml", "finetunejob.yaml", "agentroute.yaml")) {
            resources.addAll(KubectlYaml.readAll(Path.of("examples", file)));
        }
        assertThat(problems(resources)).isEmpty();
    }

    @Test
    void invoiceScenarioContainsTheObjectsItReferencesButNoSecret() {
        List<JsonNode> resources = resources(SCENARIO);
        List<String> missing = new ArrayList<>();
        for (String claim : referenced(resources, "claimName")) {
            Optional<JsonNode> pvc = find(resources, "PersistentVolumeClaim", claim);
            if (pvc.isEmpty()) {
                missing.add("PersistentVolumeClaim " + claim);
            } else if (!pvc.get().path("spec").path("accessModes").toString().contains("ReadWriteMany")) {
                missing.add("ReadWriteMany access for claim " + claim + ", which pods on several nodes share");
            }
        }
        for (JsonNode reference : route(resources).findValues("configMapRef")) {
            String key = reference.path("key").asText();
            boolean present = find(resources, "ConfigMap", reference.path("name").asText())
                    .map(configMap -> configMap.path("data").has(key)).orElse(false);
            if (!present) {
                missing.add("ConfigMap " + reference.path("name").asText() + " with key " + key);
            }
        }
        assertThat(missing).isEmpty();
        assertThat(resources).extracting(resource -> resource.path("kind").asText()).doesNotContain("Secret");
    }

    @Test
    void everySecretTheScenarioUsesHasItsKubectlCommand() throws IOException {
        List<JsonNode> resources = resources(SCENARIO);
        Set<String> secrets = new TreeSet<>();
        for (String field : List.of("ngcApiKeySecret", "credentialsSecret", "apiKeySecret", "authTokensSecret")) {
            resources.forEach(resource -> resource.findValues(field).forEach(ref -> secrets.add(ref.path("name").asText())));
        }
        resources.forEach(resource -> resource.findValues("imagePullSecrets")
                .forEach(names -> names.forEach(name -> secrets.add(name.asText()))));
        assertThat(secrets).containsExactlyInAnyOrder("ngc-api", "ngc-registry", "hf-token", "llm-api");
        String prerequisites = Files.readString(SCENARIO.resolve("prerequisites.yaml"));
        for (String secret : secrets) {
            assertThat(prerequisites).as("kubectl command for Secret %s", secret)
                    .containsPattern("kubectl -n agents create secret [a-z-]+ " + secret + " ");
        }
    }

    @Test
    void responseSchemaIsAJsonSchemaThatAcceptsAnInvoice() throws IOException {
        JsonNode schemaDocument = JSON.readTree(find(resources(SCENARIO), "ConfigMap", "invoice-schema").orElseThrow()
                .path("data").path("schema.json").asText());
        JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
        JsonSchema metaSchema = factory.getSchema(URI.create("https://json-schema.org/draft/2020-12/schema"));
        assertThat(metaSchema.validate(schemaDocument)).isEmpty();

        JsonSchema invoiceSchema = factory.getSchema(schemaDocument);
        JsonNode invoice = JSON.readTree("""
                {"invoiceNumber": "INV-2025-0042", "issueDate": "2025-03-14", "dueDate": "2025-04-13", "currency": "EUR",
                 "seller": {"name": "Nordwind Logistik GmbH", "vatId": "DE123456789"},
                 "buyer": {"name": "Acme Retail B.V."},
                 "lineItems": [{"description": "Pallet transport Hamburg-Rotterdam", "quantity": 12, "unitPrice": 85.0,
                                "taxRate": 0.19, "amount": 1020.0}],
                 "subtotalAmount": 1020.0, "taxAmount": 193.8, "totalAmount": 1213.8}
                """);
        assertThat(invoiceSchema.validate(invoice)).isEmpty();

        ((com.fasterxml.jackson.databind.node.ObjectNode) invoice).remove("totalAmount");
        assertThat(invoiceSchema.validate(invoice)).extracting(ValidationMessage::getMessage)
                .anySatisfy(message -> assertThat(message).contains("totalAmount"));
    }

    /** Cross-references between the custom resources of one set of examples. */
    static List<String> problems(List<JsonNode> resources) {
        List<String> problems = new ArrayList<>();
        resources.forEach(resource -> {
            if (!resource.path("metadata").path("namespace").asText().equals("agents")) {
                problems.add(name(resource) + " is not in namespace agents");
            }
        });
        for (JsonNode specialist : ofKind(resources, "SLMSpecialist")) {
            for (JsonNode adapter : specialist.path("spec").path("adapters")) {
                if (!adapter.has("fineTuneJob")) {
                    continue;
                }
                Optional<JsonNode> job = find(resources, "FineTuneJob", adapter.path("fineTuneJob").asText());
                if (job.isEmpty()) {
                    problems.add(name(specialist) + " adapter " + adapter.path("name").asText() + ": no FineTuneJob "
                            + adapter.path("fineTuneJob").asText());
                    continue;
                }
                JsonNode jobSpec = job.get().path("spec");
                if (!jobSpec.path("output").path("adapterName").asText().equals(adapter.path("name").asText())) {
                    problems.add(name(job.get()) + " publishes " + jobSpec.path("output").path("adapterName").asText()
                            + ", not " + adapter.path("name").asText());
                }
                if (!jobSpec.path("baseModel").path("name").asText().equals(specialist.path("spec").path("model").path("name").asText())) {
                    problems.add(name(job.get()) + " trains on another base model than " + name(specialist) + " serves");
                }
                specialist.path("spec").path("adapters").findValues("volume").forEach(volume -> {
                    if (!volume.path("claimName").equals(jobSpec.path("output").path("volume").path("claimName"))) {
                        problems.add(name(specialist) + " reads adapters from two claims");
                    }
                });
            }
        }
        for (JsonNode route : ofKind(resources, "AgentRoute")) {
            List<JsonNode> entries = new ArrayList<>();
            route.path("spec").findValues("targets").forEach(targets -> targets.forEach(entries::add));
            entries.addAll(route.path("spec").findValues("candidate"));
            for (JsonNode entry : entries) {
                Optional<JsonNode> specialist = find(resources, "SLMSpecialist", entry.path("specialist").asText());
                if (specialist.isEmpty()) {
                    problems.add(name(route) + " targets missing specialist " + entry.path("specialist").asText());
                } else if (entry.has("adapter") && specialist.get().path("spec").path("adapters").findValues("name").stream()
                        .noneMatch(adapterName -> adapterName.equals(entry.path("adapter")))) {
                    problems.add(name(route) + " targets adapter " + entry.path("adapter").asText() + " that "
                            + name(specialist.get()) + " does not serve");
                }
            }
        }
        return problems;
    }

    static List<JsonNode> resources(Path directory) {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(file -> file.toString().endsWith(".yaml")).sorted()
                    .flatMap(file -> KubectlYaml.readAll(file).stream()).toList();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Set<String> referenced(List<JsonNode> resources, String field) {
        Set<String> values = new TreeSet<>();
        ofKind(resources, "SLMSpecialist", "FineTuneJob", "AgentRoute")
                .forEach(resource -> resource.path("spec").findValues(field).forEach(value -> values.add(value.asText())));
        return values;
    }

    private static JsonNode route(List<JsonNode> resources) {
        return ofKind(resources, "AgentRoute").get(0);
    }

    private static List<JsonNode> ofKind(List<JsonNode> resources, String... kinds) {
        Set<String> wanted = Set.of(kinds);
        return resources.stream().filter(resource -> wanted.contains(resource.path("kind").asText())).toList();
    }

    private static Optional<JsonNode> find(List<JsonNode> resources, String kind, String name) {
        return ofKind(resources, kind).stream()
                .filter(resource -> resource.path("metadata").path("name").asText().equals(name))
                .findFirst();
    }

    private static String name(JsonNode resource) {
        return resource.path("kind").asText() + " " + resource.path("metadata").path("name").asText();
    }
}
