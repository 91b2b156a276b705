package io.slmfleet.e2e.support;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The audit log of an API server started here: one JSON line per write request (the policy logs nothing else), so
 * writes can be counted exactly and attributed to the user that made them.
 */
public final class AuditLog {

    /** A write request: who, what verb, on which object. */
    public record Write(String user, String verb, String resource, String subresource, String namespace, String name,
            int code) {
        @Override
        public String toString() {
            return user + " " + verb + " " + resource + (subresource == null ? "" : "/" + subresource) + " "
                    + (namespace == null ? "" : namespace + "/") + name + " -> " + code;
        }
    }

    static final Set<String> WRITE_VERBS = Set.of("create", "update", "patch", "delete", "deletecollection");

    /** The policy: metadata of every write, once, when its response is complete; nothing for reads and watches. */
    static final String POLICY = """
            apiVersion: audit.k8s.io/v1
            kind: Policy
            omitStages: [RequestReceived, ResponseStarted, Panic]
            rules:
              - level: Metadata
                verbs: [create, update, patch, delete, deletecollection]
              - level: None
            """;

    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path file;

    AuditLog(Path file) {
        this.file = file;
    }

    /** A position to count from. */
    public long mark() {
        return file.toFile().length();
    }

    /** Writes by {@code user} since {@code mark}. */
    public List<Write> writesSince(long mark, String user) {
        return writesSince(mark).stream().filter(write -> write.user().equals(user)).toList();
    }

    public List<Write> writesSince(long mark) {
        List<Write> writes = new ArrayList<>();
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            in.seek(mark);
            byte[] rest = new byte[(int) (in.length() - mark)];
            in.readFully(rest);
            String complete = new String(rest, StandardCharsets.UTF_8);
            // the API server may be writing the last line right now: read complete lines only
            complete = complete.substring(0, complete.lastIndexOf('\n') + 1);
            for (String line : complete.split("\n")) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode event = JSON.readTree(line);
                if (!WRITE_VERBS.contains(event.path("verb").asText())) {
                    continue;
                }
                JsonNode object = event.path("objectRef");
                writes.add(new Write(event.path("user").path("username").asText(), event.path("verb").asText(),
                        object.path("resource").asText(), text(object, "subresource"), text(object, "namespace"),
                        text(object, "name"), event.path("responseStatus").path("code").asInt()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return writes;
    }

    private static String text(JsonNode node, String field) {
        return node.hasNonNull(field) ? node.get(field).asText() : null;
    }
}
