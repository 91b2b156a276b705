package io.slmfleet.schema;

import java.io.IOException;
import java.io.Reader;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.representer.Representer;
import org.yaml.snakeyaml.resolver.Resolver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Reads manifests the way kubectl does before it sends them: YAML 1.1 scalars (kubectl's YAML library resolves
 * unquoted {@code on}, {@code off}, {@code yes} and {@code no} to booleans, also as keys, which then become the
 * JSON keys "true" and "false"), timestamps left as strings, several documents per file.
 */
public final class KubectlYaml {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private KubectlYaml() {
    }

    /** The non-empty documents of a file, in order. */
    public static List<JsonNode> readAll(Path file) {
        try (Reader reader = Files.newBufferedReader(file)) {
            return readAll(reader);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file, e);
        }
    }

    public static List<JsonNode> readAll(Reader reader) {
        LoaderOptions options = new LoaderOptions();
        Yaml yaml = new Yaml(new SafeConstructor(options), new Representer(new DumperOptions()), new DumperOptions(), options,
                new Yaml11WithoutTimestamps());
        List<JsonNode> documents = new ArrayList<>();
        for (Object document : yaml.loadAll(reader)) {
            if (document != null) {
                documents.add(toJson(document));
            }
        }
        return documents;
    }

    public static JsonNode read(String yaml) {
        List<JsonNode> documents = readAll(new java.io.StringReader(yaml));
        if (documents.size() != 1) {
            throw new IllegalArgumentException("expected one YAML document, found " + documents.size());
        }
        return documents.get(0);
    }

    private static JsonNode toJson(Object value) {
        if (value == null) {
            return NODES.nullNode();
        }
        if (value instanceof Map<?, ?> map) {
            ObjectNode object = NODES.objectNode();
            map.forEach((key, item) -> object.set(String.valueOf(key), toJson(item)));
            return object;
        }
        if (value instanceof List<?> list) {
            ArrayNode array = NODES.arrayNode();
            list.forEach(item -> array.add(toJson(item)));
            return array;
        }
        // the same node types as Jackson's own parsers (IntNode when it fits), so equal values compare equal
        if (value instanceof Integer number) {
            return NODES.numberNode(number);
        }
        if (value instanceof Long number) {
            return NODES.numberNode(number);
        }
        if (value instanceof BigInteger number) {
            return NODES.numberNode(number);
        }
        if (value instanceof Double number) {
            return NODES.numberNode(number);
        }
        if (value instanceof Boolean bool) {
            return NODES.booleanNode(bool);
        }
        if (value instanceof String text) {
            return NODES.textNode(text);
        }
        throw new IllegalArgumentException("unsupported YAML value " + value.getClass().getName() + ": " + value);
    }

    /** SnakeYAML's YAML 1.1 resolver minus timestamps, which kubectl keeps as strings. */
    private static final class Yaml11WithoutTimestamps extends Resolver {
        @Override
        protected void addImplicitResolvers() {
            addImplicitResolver(Tag.BOOL, BOOL, "yYnNtTfFoO");
            addImplicitResolver(Tag.INT, INT, "-+0123456789");
            addImplicitResolver(Tag.FLOAT, FLOAT, "-+0123456789.");
            addImplicitResolver(Tag.MERGE, MERGE, "<");
            addImplicitResolver(Tag.NULL, NULL, "~nN\0");
            addImplicitResolver(Tag.NULL, EMPTY, null);
        }
    }
}
