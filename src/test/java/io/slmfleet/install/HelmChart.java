package io.slmfleet.install;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.client.utils.Serialization;

/** The chart under helm/slm-fleet, rendered offline by real Helm (helm-java) into fabric8 objects. */
public final class HelmChart {

    static final Path CHART = Path.of("helm", "slm-fleet");
    static final String RELEASE = "slm-fleet";
    public static final String NAMESPACE = "slm-fleet";

    private HelmChart() {
    }

    static LintResult lint() {
        return new Helm(CHART).lint().strict().call();
    }

    /** {@code helm template} output with the given values (YAML, may be empty) on top of values.yaml. */
    public static String templateYaml(String valuesYaml) {
        Path valuesFile = writeTemp(valuesYaml);
        try {
            return new Helm(CHART).template()
                    .withName(RELEASE)
                    .withNamespace(NAMESPACE)
                    .withValuesFile(valuesFile)
                    .call();
        } finally {
            delete(valuesFile);
        }
    }

    /** The release notes `helm install` prints, from a client-only dry run (no cluster). */
    static String installNotes(String valuesYaml) {
        Path valuesFile = writeTemp(valuesYaml);
        try {
            return new Helm(CHART).install()
                    .withName(RELEASE)
                    .withNamespace(NAMESPACE)
                    .withValuesFile(valuesFile)
                    .clientOnly()
                    .dryRun()
                    .call()
                    .getOutput();
        } finally {
            delete(valuesFile);
        }
    }

    static Rendered render(String valuesYaml) {
        return new Rendered(parse(templateYaml(valuesYaml)));
    }

    /** Every object of a multi-document YAML stream, typed where fabric8 knows the kind. */
    public static List<HasMetadata> parse(String yaml) {
        Object parsed = Serialization.unmarshal(yaml);
        List<HasMetadata> objects = new ArrayList<>();
        if (parsed instanceof List<?> documents) {
            documents.stream().filter(Objects::nonNull).map(HasMetadata.class::cast).forEach(objects::add);
        } else if (parsed instanceof KubernetesResource) {
            objects.add((HasMetadata) parsed);
        }
        return objects;
    }

    private static Path writeTemp(String content) {
        try {
            Path file = Files.createTempFile("slm-fleet-values", ".yaml");
            Files.writeString(file, content);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The objects of one rendering. */
    record Rendered(List<HasMetadata> objects) {

        <T extends HasMetadata> List<T> all(Class<T> type) {
            return objects.stream().filter(type::isInstance).map(type::cast).toList();
        }

        <T extends HasMetadata> T one(Class<T> type, String name) {
            List<T> matching = all(type).stream().filter(named(name)).toList();
            if (matching.size() != 1) {
                throw new AssertionError("expected one " + type.getSimpleName() + " " + name + ", found " + matching.size()
                        + " among " + objects.stream().map(o -> o.getKind() + "/" + o.getMetadata().getName()).toList());
            }
            return matching.get(0);
        }

        private static Predicate<HasMetadata> named(String name) {
            return object -> name.equals(object.getMetadata().getName());
        }
    }
}
