package io.slmfleet.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The FineTuneJob spec is immutable (transition rule self == oldSelf), metadata and re-applies are not. */
class FineTuneJobImmutabilityTest {

    static final String IMMUTABLE = "spec: Invalid value: \"object\": FineTuneJob spec is immutable once created: "
            + "create a new FineTuneJob for a new run";

    ApiServer apiServer = ApiServer.forKind("FineTuneJob");
    JsonNode manifest;
    JsonNode stored;

    @BeforeEach
    void create() {
        manifest = KubectlYaml.readAll(Path.of("examples/invoice-agent/finetune.yaml")).get(0);
        ApiServer.Admission created = apiServer.create(manifest);
        assertThat(created.messages()).isEmpty();
        stored = created.object();
    }

    @Test
    void reapplyingTheSameManifestIsAccepted() {
        // the manifest lacks the defaults the stored object has; they are applied again before the rule runs
        assertThat(manifest.path("spec").path("gpu").has("runtimeClassName")).isFalse();
        assertThat(stored.path("spec").path("gpu").path("runtimeClassName").asText()).isEqualTo("nvidia");
        assertThat(apiServer.update(stored, manifest).messages()).isEmpty();
    }

    @Test
    void changingLabelsIsAccepted() {
        ObjectNode relabelled = manifest.deepCopy();
        relabelled.with("metadata").with("labels").put("team", "finance-agents");
        assertThat(apiServer.update(stored, relabelled).messages()).isEmpty();
    }

    @Test
    void changingTheRecipeIsRejected() {
        ObjectNode changed = manifest.deepCopy();
        changed.with("spec").with("hyperparameters").put("learningRate", 2.0e-4);
        assertThat(apiServer.update(stored, changed).messages()).containsExactly(IMMUTABLE);
    }

    @Test
    void spellingOutADefaultIsNoChange() {
        ObjectNode explicit = manifest.deepCopy();
        explicit.with("spec").with("gpu").put("runtimeClassName", "nvidia");
        assertThat(apiServer.update(stored, explicit).messages()).isEmpty();
    }

    @Test
    void theRuleDoesNotRunOnCreate() {
        assertThat(apiServer.create(manifest).messages()).isEmpty();
        assertThat(CelValidation.compile("self == oldSelf").usesOldSelf()).isTrue();
    }
}
