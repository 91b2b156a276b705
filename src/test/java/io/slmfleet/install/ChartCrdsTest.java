package io.slmfleet.install;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The chart installs the CRDs generated from the API classes (crds/ at the repository root), byte for byte.
 * After an API change: {@code mvn test -Dtest=ChartCrdsTest -Dcrds.update=true} copies them into the chart.
 */
class ChartCrdsTest {

    static final Path GENERATED = Path.of("crds");
    static final Path CHART_CRDS = HelmChart.CHART.resolve("crds");

    @Test
    void chartCrdsAreTheGeneratedCrds() throws IOException {
        if (Boolean.getBoolean("crds.update")) {
            copyCrds(CHART_CRDS);
        }

        assertThat(read(CHART_CRDS))
                .as("helm/slm-fleet/crds differs from crds/: run mvn test -Dtest=ChartCrdsTest -Dcrds.update=true")
                .isEqualTo(read(GENERATED))
                .isNotEmpty();
    }

    /** Replaces the CRD files of {@code target} with those of crds/. */
    static void copyCrds(Path target) throws IOException {
        Files.createDirectories(target);
        for (Path stale : list(target)) {
            Files.delete(stale);
        }
        for (Path crd : list(GENERATED)) {
            Files.copy(crd, target.resolve(crd.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** File name to content of every CRD file in {@code directory}. */
    static Map<String, String> read(Path directory) throws IOException {
        Map<String, String> files = new TreeMap<>();
        for (Path file : list(directory)) {
            files.put(file.getFileName().toString(), Files.readString(file));
        }
        return files;
    }

    static List<Path> list(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(file -> file.getFileName().toString().matches(".*\\.ya?ml")).sorted().toList();
        }
    }
}
