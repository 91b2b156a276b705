package io.slmfleet.agentroute;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;

class ResponseSchemasTest {

    static final SchemaRef REF = new SchemaRef("invoice-schema", "schema.json");

    @Test
    void aValidSchemaIsUsableAsPlainJsonValues() {
        ResponseSchema schema = ResponseSchemas.read(REF, configMap("{\"type\": \"object\", \"required\": [\"total\"]}"));

        assertThat(schema).isInstanceOfSatisfying(ResponseSchema.Usable.class, usable -> assertThat(usable.document())
                .isEqualTo(Map.of("type", "object", "required", List.of("total"))));
    }

    @Test
    void aBooleanIsASchema() {
        assertThat(ResponseSchemas.read(REF, configMap("true"))).isInstanceOf(ResponseSchema.Usable.class);
    }

    @Test
    void aMissingConfigMapOrKeyIsNotFound() {
        assertProblem(ResponseSchemas.read(REF, null), InputProblem.RESPONSE_SCHEMA_NOT_FOUND, "ConfigMap invoice-schema not found");
        assertProblem(ResponseSchemas.read(REF, new ConfigMapBuilder().withNewMetadata().withName("invoice-schema").endMetadata()
                .addToData("other.json", "{}").build()), InputProblem.RESPONSE_SCHEMA_NOT_FOUND,
                "ConfigMap invoice-schema has no key schema.json");
    }

    @Test
    void textThatIsNotJsonIsInvalid() {
        assertProblem(ResponseSchemas.read(REF, configMap("{\"type\": ")), InputProblem.INVALID_RESPONSE_SCHEMA,
                "ConfigMap invoice-schema key schema.json is not JSON: ");
    }

    @Test
    void jsonThatIsNeitherObjectNorBooleanIsInvalid() {
        assertProblem(ResponseSchemas.read(REF, configMap("[1, 2]")), InputProblem.INVALID_RESPONSE_SCHEMA,
                "is not a JSON Schema: a schema is an object or a boolean");
    }

    @Test
    void aDocumentTheMetaSchemaRejectsIsInvalid() {
        ResponseSchema schema = ResponseSchemas.read(REF, configMap("{\"type\": 12, \"required\": \"total\"}"));

        assertProblem(schema, InputProblem.INVALID_RESPONSE_SCHEMA,
                "ConfigMap invoice-schema key schema.json is not a valid JSON Schema (https://json-schema.org/draft/2020-12/schema): ");
        assertThat(((ResponseSchema.Unusable) schema).problem().message()).contains("type").contains("required");
    }

    @Test
    void theDeclaredDraftsMetaSchemaIsUsed() {
        // exclusiveMinimum is a boolean in draft-04 and a number from draft-06 on
        String draft4 = "{\"$schema\": \"http://json-schema.org/draft-04/schema#\", \"minimum\": 0, \"exclusiveMinimum\": true}";
        assertThat(ResponseSchemas.read(REF, configMap(draft4))).isInstanceOf(ResponseSchema.Usable.class);
        String draft7 = "{\"$schema\": \"http://json-schema.org/draft-07/schema#\", \"minimum\": 0, \"exclusiveMinimum\": true}";
        assertProblem(ResponseSchemas.read(REF, configMap(draft7)), InputProblem.INVALID_RESPONSE_SCHEMA, "draft-07");
    }

    @Test
    void anUnknownDraftIsInvalid() {
        assertProblem(ResponseSchemas.read(REF, configMap("{\"$schema\": \"https://example.com/my-draft\"}")),
                InputProblem.INVALID_RESPONSE_SCHEMA, "declares $schema https://example.com/my-draft");
    }

    @Test
    void aRemoteReferenceIsNotFetched() {
        assertProblem(ResponseSchemas.read(REF, configMap("{\"$ref\": \"https://example.com/invoice.json\"}")),
                InputProblem.INVALID_RESPONSE_SCHEMA, "is not fetched: a response schema must be self-contained");
    }

    private static void assertProblem(ResponseSchema schema, String reason, String messagePart) {
        assertThat(schema).isInstanceOfSatisfying(ResponseSchema.Unusable.class, unusable -> {
            assertThat(unusable.problem().reason()).isEqualTo(reason);
            assertThat(unusable.problem().message()).contains(messagePart);
        });
    }

    private static ConfigMap configMap(String schema) {
        return new ConfigMapBuilder().withNewMetadata().withName("invoice-schema").endMetadata()
                .addToData("schema.json", schema).build();
    }
}
