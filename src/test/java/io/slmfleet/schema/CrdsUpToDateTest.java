package io.slmfleet.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.fabric8.crdv2.generator.CRDGenerator;
import io.fabric8.crdv2.generator.CustomResourceInfo;
import io.slmfleet.api.SchemaPostProcessor;
import io.slmfleet.api.v1alpha1.AgentRoute;
import io.slmfleet.api.v1alpha1.CurationJob;
import io.slmfleet.api.v1alpha1.EvaluationJob;
import io.slmfleet.api.v1alpha1.FineTuneJob;
import io.slmfleet.api.v1alpha1.SLMSpecialist;

/**
 * crds/ holds exactly what the build generates from the API classes. The generator is called the way
 * quarkus-operator-sdk 7.2 calls it at build time (fabric8 CRDGenerator v2, CRD spec v1, our post-processor), so
 * the files equal target/kubernetes/*.slmfleet.io-v1.yml. Run with -Dcrds.update=true to rewrite crds/.
 */
class CrdsUpToDateTest {

    static final String UPDATE_PROPERTY = "crds.update";

    @Test
    void crdsMatchTheApiClasses(@TempDir Path generated) throws IOException {
        new CRDGenerator()
                .customResources(CustomResourceInfo.fromClass(SLMSpecialist.class), CustomResourceInfo.fromClass(FineTuneJob.class),
                        CustomResourceInfo.fromClass(AgentRoute.class), CustomResourceInfo.fromClass(CurationJob.class),
                        CustomResourceInfo.fromClass(EvaluationJob.class))
                .withPostProcessor(new SchemaPostProcessor())
                .forCRDVersions("v1")
                .inOutputDir(generated.toFile())
                .generate();
        List<Path> files = list(generated);
        assertThat(files).extracting(file -> file.getFileName().toString()).containsExactlyInAnyOrder(
                "slmspecialists.slmfleet.io-v1.yml", "finetunejobs.slmfleet.io-v1.yml", "agentroutes.slmfleet.io-v1.yml",
                "curationjobs.slmfleet.io-v1.yml", "evaluationjobs.slmfleet.io-v1.yml");

        if (Boolean.getBoolean(UPDATE_PROPERTY)) {
            for (Path file : list(CrdSchema.CRD_DIRECTORY)) {
                Files.delete(file);
            }
            for (Path file : files) {
                Files.copy(file, CrdSchema.CRD_DIRECTORY.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }

        assertThat(list(CrdSchema.CRD_DIRECTORY)).extracting(file -> file.getFileName().toString())
                .as("files in crds/ (regenerate: mvn -o test -Dtest=CrdsUpToDateTest -D%s=true)", UPDATE_PROPERTY)
                .containsExactlyInAnyOrderElementsOf(files.stream().map(file -> file.getFileName().toString()).toList());
        for (Path file : files) {
            List<String> committed = Files.readAllLines(CrdSchema.CRD_DIRECTORY.resolve(file.getFileName()));
            List<String> expected = Files.readAllLines(file);
            assertThat(firstDifference(committed, expected))
                    .as("crds/%s is stale: regenerate with mvn -o test -Dtest=CrdsUpToDateTest -D%s=true",
                            file.getFileName(), UPDATE_PROPERTY)
                    .isEmpty();
        }
    }

    /** Empty when equal, else the first differing line of both, so a stale file fails with one readable line. */
    private static String firstDifference(List<String> committed, List<String> generated) {
        for (int i = 0; i < Math.max(committed.size(), generated.size()); i++) {
            String was = i < committed.size() ? committed.get(i) : "<end of file>";
            String expected = i < generated.size() ? generated.get(i) : "<end of file>";
            if (!was.equals(expected)) {
                return "line " + (i + 1) + ": committed '" + was.strip() + "', generated '" + expected.strip() + "'";
            }
        }
        return "";
    }

    private static List<Path> list(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.sorted().toList();
        }
    }
}
