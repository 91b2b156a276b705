package io.slmfleet.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Every resource under src/test/resources/invalid/&lt;kind&gt;/ is rejected with exactly the errors its
 * {@code # expect: } lines name (the line kubectl prints after "is invalid:"), and no others. A file with two
 * documents is a create of the first followed by an update to the second; the create must succeed.
 */
class InvalidResourcesTest {

    static final Path INVALID = Path.of("src/test/resources/invalid");
    static final String EXPECT = "# expect: ";
    /** Added by the API server whenever a schema error kept the CEL rules from running. */
    static final String RULES_NOT_CHECKED = "<nil>: Invalid value: \"null\": some validation rules were not checked";

    static Stream<Path> invalidResources() throws IOException {
        try (Stream<Path> files = Files.walk(INVALID)) {
            return files.filter(file -> file.toString().endsWith(".yaml")).sorted().toList().stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidResources")
    void isRejectedWithTheMessageAUserReads(Path file) throws IOException {
        List<String> expected = Files.readAllLines(file).stream()
                .filter(line -> line.startsWith(EXPECT))
                .map(line -> line.substring(EXPECT.length()))
                .toList();
        assertThat(expected).as("%s has no '%s' line", file, EXPECT.trim()).isNotEmpty();

        List<JsonNode> documents = KubectlYaml.readAll(file);
        assertThat(documents).as("documents in %s", file).hasSizeBetween(1, 2);
        String kind = documents.get(0).path("kind").asText();
        assertThat(file.getParent().getFileName().toString()).as("folder of %s", file).isEqualTo(kind.toLowerCase(Locale.ROOT));

        ApiServer apiServer = ApiServer.forKind(kind);
        ApiServer.Admission admission;
        if (documents.size() == 1) {
            admission = apiServer.create(documents.get(0));
        } else {
            ApiServer.Admission created = apiServer.create(documents.get(0));
            assertThat(created.messages()).as("create before the update in %s", file).isEmpty();
            admission = apiServer.update(created.object(), documents.get(1));
        }

        List<String> errors = admission.messages().stream().filter(error -> !error.startsWith(RULES_NOT_CHECKED)).toList();
        assertThat(errors).as("errors for %s", file).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void everyCelRuleOfTheCrdsHasAnInvalidResource() throws IOException {
        StringBuilder expectations = new StringBuilder();
        for (Path file : invalidResources().toList()) {
            Files.readAllLines(file).stream().filter(line -> line.startsWith(EXPECT)).forEach(expectations::append);
        }
        List<String> messages = new ArrayList<>();
        CrdSchema.all().values().forEach(crd -> crd.openApiV3Schema().findValues("x-kubernetes-validations")
                .forEach(rules -> rules.forEach(rule -> messages.add(rule.path("message").asText()))));
        assertThat(messages).hasSizeGreaterThanOrEqualTo(15)
                .allSatisfy(message -> assertThat(expectations).as("an invalid resource rejected with '%s'", message)
                        .contains(message));
    }

    @Test
    void thereAreAtLeastThirtyForEveryKindTogether() throws IOException {
        assertThat(invalidResources().count()).isGreaterThanOrEqualTo(30);
        try (Stream<Path> kinds = Files.list(INVALID)) {
            assertThat(kinds.map(kind -> kind.getFileName().toString()))
                    .containsExactlyInAnyOrder("slmspecialist", "finetunejob", "agentroute", "curationjob", "evaluationjob");
        }
    }
}
