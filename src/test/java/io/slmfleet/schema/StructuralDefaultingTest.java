package io.slmfleet.schema;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/** Defaulting as the API server does it, on the real CRDs. */
class StructuralDefaultingTest {

    static final String SPECIALIST = """
            apiVersion: slmfleet.io/v1alpha1
            kind: SLMSpecialist
            metadata: {name: invoice-parser}
            spec:
              model: {name: meta/llama-3.2-1b-instruct, image: "nvcr.io/nim/meta/llama-3.2-1b-instruct:1.12.0"}
              gpu: {count: 2}
            """;

    ApiServer specialists = ApiServer.forKind("SLMSpecialist");

    @Test
    void absentFieldsOfPresentObjectsGetTheirDefaults() {
        JsonNode spec = specialists.defaulted(KubectlYaml.read(SPECIALIST)).path("spec");
        assertThat(spec.path("replicas").asInt()).isEqualTo(1);
        assertThat(spec.path("gpu").path("count").asInt()).isEqualTo(2);
        assertThat(spec.path("gpu").path("resourceName").asText()).isEqualTo("nvidia.com/gpu");
        assertThat(spec.path("gpu").path("runtimeClassName").asText()).isEqualTo("nvidia");
    }

    @Test
    void absentObjectsWithoutADefaultStayAbsent() {
        JsonNode spec = specialists.defaulted(KubectlYaml.read(SPECIALIST)).path("spec");
        assertThat(spec.has("cache")).isFalse();
        assertThat(spec.has("autoscaling")).isFalse();
        assertThat(spec.path("model").has("ngcApiKeySecret")).isFalse();
    }

    @Test
    void anObjectDefaultIsCompleteAndAPartialObjectIsCompleted() {
        JsonNode absent = specialists.defaulted(KubectlYaml.read(SPECIALIST)).path("spec").path("lora");
        assertThat(absent).isEqualTo(KubectlYaml.read("{maxGpuLoras: 8, maxCpuLoras: 16, maxRank: 32, refreshIntervalSeconds: 60}"));

        JsonNode partial = specialists.defaulted(KubectlYaml.read(SPECIALIST + "  lora: {maxGpuLoras: 2}\n"))
                .path("spec").path("lora");
        assertThat(partial).isEqualTo(KubectlYaml.read("{maxGpuLoras: 2, maxCpuLoras: 16, maxRank: 32, refreshIntervalSeconds: 60}"));
    }

    @Test
    void listItemsAreDefaulted() {
        JsonNode route = ApiServer.forKind("AgentRoute").defaulted(KubectlYaml.read("""
                apiVersion: slmfleet.io/v1alpha1
                kind: AgentRoute
                metadata: {name: invoice-agent}
                spec:
                  routes:
                    - task: parsing
                      targets: [{specialist: invoice-parser, adapter: invoice-v3}, {specialist: invoice-parser, weight: 10}]
                """));
        JsonNode parsing = route.path("spec").path("routes").get(0);
        assertThat(parsing.path("timeout").asText()).isEqualTo("30s");
        assertThat(parsing.path("retries").asInt()).isZero();
        assertThat(parsing.path("targets").findValues("weight")).extracting(JsonNode::asInt).containsExactly(100, 10);
    }

    @Test
    void nullMeansAbsent() {
        JsonNode spec = specialists.defaulted(KubectlYaml.read(SPECIALIST + "  replicas: null\n  priorityClassName: null\n"))
                .path("spec");
        assertThat(spec.path("replicas").asInt()).isEqualTo(1);
        assertThat(spec.has("priorityClassName")).isFalse();
    }

    @Test
    void kubectlReadsYaml11Booleans() {
        assertThat(KubectlYaml.read("{on: [error], enabled: yes, name: \"on\"}"))
                .isEqualTo(KubectlYaml.read("{\"true\": [error], enabled: true, name: \"on\"}"));
    }
}
