package io.slmfleet.schema;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/** One served version of a CustomResourceDefinition from {@code crds/}: its kind and openAPIV3Schema. */
public record CrdSchema(String group, String version, String kind, String plural, JsonNode openApiV3Schema) {

    /** Where the build's CRDs are committed, relative to the project directory (the tests' working directory). */
    public static final Path CRD_DIRECTORY = Path.of("crds");

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    public String apiVersion() {
        return group + "/" + version;
    }

    /** Every CRD in {@code crds/}, by kind. */
    public static Map<String, CrdSchema> all() {
        return load(CRD_DIRECTORY);
    }

    public static CrdSchema forKind(String kind) {
        CrdSchema crd = all().get(kind);
        if (crd == null) {
            throw new IllegalArgumentException("no CRD for kind " + kind + " in " + CRD_DIRECTORY.toAbsolutePath());
        }
        return crd;
    }

    public static Map<String, CrdSchema> load(Path directory) {
        Map<String, CrdSchema> byKind = new LinkedHashMap<>();
        try (Stream<Path> files = Files.list(directory)) {
            files.filter(file -> file.toString().endsWith(".yml") || file.toString().endsWith(".yaml"))
                    .sorted()
                    .forEach(file -> {
                        CrdSchema crd = read(file);
                        byKind.put(crd.kind(), crd);
                    });
        } catch (IOException e) {
            throw new IllegalStateException("cannot list " + directory, e);
        }
        return byKind;
    }

    static CrdSchema read(Path file) {
        try {
            JsonNode crd = YAML.readTree(file.toFile());
            JsonNode spec = crd.path("spec");
            if (spec.path("versions").size() != 1) {
                throw new IllegalStateException(file + ": expected exactly one version");
            }
            JsonNode version = spec.path("versions").get(0);
            return new CrdSchema(spec.path("group").asText(), version.path("name").asText(),
                    spec.path("names").path("kind").asText(), spec.path("names").path("plural").asText(),
                    version.path("schema").path("openAPIV3Schema"));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read CRD " + file, e);
        }
    }
}
