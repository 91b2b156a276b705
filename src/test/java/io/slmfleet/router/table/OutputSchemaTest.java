package io.slmfleet.router.table;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ServerSocket;
import java.net.Socket;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

class OutputSchemaTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    void checksEveryChoiceOfChatAndTextCompletions() throws Exception {
        OutputSchema schema = OutputSchema.compile(Map.of("type", "object", "required", java.util.List.of("id")));

        assertThat(schema.problemWith(MAPPER.readTree("""
                {"choices": [{"index": 0, "message": {"content": "{\\"id\\": 1}"}},
                             {"index": 1, "message": {"content": "{\\"id\\": 2}"}}]}"""))).isNull();
        assertThat(schema.problemWith(MAPPER.readTree("""
                {"choices": [{"index": 0, "message": {"content": "{\\"id\\": 1}"}},
                             {"index": 1, "message": {"content": "{}"}}]}"""))).startsWith("choice 1: content does not match");
        assertThat(schema.problemWith(MAPPER.readTree("""
                {"choices": [{"index": 0, "text": "{\\"id\\": 1}"}]}"""))).isNull();
        assertThat(schema.problemWith(MAPPER.readTree("""
                {"choices": [{"index": 0, "message": {"content": null}}]}"""))).contains("content is missing");
        assertThat(schema.problemWith(MAPPER.readTree("{\"choices\": []}"))).contains("no choices");
    }

    @Test
    void anAnswerWithTextAfterItsJsonIsNotJson() throws Exception {
        OutputSchema number = OutputSchema.compile(Map.of("type", "number"));
        OutputSchema object = OutputSchema.compile(Map.of("type", "object"));

        assertThat(number.problemWith(MAPPER.readTree("""
                {"choices": [{"index": 0, "message": {"content": "12 apples"}}]}"""))).contains("content is not JSON");
        assertThat(object.problemWith(MAPPER.readTree("""
                {"choices": [{"index": 0, "message": {"content": "{\\"id\\": 1} and more"}}]}"""))).contains("content is not JSON");
        assertThat(number.problemWith(MAPPER.readTree("""
                {"choices": [{"index": 0, "message": {"content": " 12 "}}]}"""))).as("whitespace is not text").isNull();
    }

    @Test
    void refusesDocumentsThatAreNotJsonSchemas() {
        assertThatThrownBy(() -> OutputSchema.compile(Map.of("type", 12))).hasMessageContaining("not a valid JSON Schema");
        assertThatThrownBy(() -> OutputSchema.compile("a string")).hasMessageContaining("neither an object");
    }

    /** A table must not make the router call out to URLs it names: remote references are not fetched. */
    @Test
    void neverFetchesRemoteReferences() throws Exception {
        AtomicInteger connections = new AtomicInteger();
        try (ServerSocket listener = new ServerSocket(0)) {
            Thread acceptor = new Thread(() -> {
                while (!listener.isClosed()) {
                    try (Socket socket = listener.accept()) {
                        connections.incrementAndGet();
                    } catch (Exception e) {
                        return;
                    }
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            Map<String, Object> remote = Map.of("$ref", "http://127.0.0.1:" + listener.getLocalPort() + "/schema.json");

            try {
                OutputSchema schema = OutputSchema.compile(remote);
                schema.problemWith(MAPPER.readTree("{\"choices\": [{\"index\": 0, \"message\": {\"content\": \"{}\"}}]}"));
            } catch (RuntimeException expected) {
                // refusing the reference is as good as ignoring it; fetching it is not
            }
        }
        assertThat(connections).hasValue(0);
    }
}
