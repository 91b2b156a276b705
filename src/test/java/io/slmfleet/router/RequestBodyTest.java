package io.slmfleet.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;

class RequestBodyTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            {"model":"task/x","messages":[{"role":"user","content":"hi"}]}              | {"model":"slm-\\"v2\\"","messages":[{"role":"user","content":"hi"}]}
            { "messages" : [ 1 ] , "model" : null }                                    | { "messages" : [ 1 ] , "model" : "slm-\\"v2\\"" }
            {"messages":[1]}                                                          | {"model":"slm-\\"v2\\"","messages":[1]}
            {"model":"a","messages":[1],"model":{"nested":["model"]}}                  | {"model":"slm-\\"v2\\"","messages":[1],"model":"slm-\\"v2\\""}
            {"model":"ünïcödé","messages":[{"content":"ß"}]}                           | {"model":"slm-\\"v2\\"","messages":[{"content":"ß"}]}
            """)
    void rewritesOnlyTheModelValue(String body, String expected) throws Exception {
        RequestBody read = RequestBody.read(body.getBytes(StandardCharsets.UTF_8), Operation.CHAT);

        String rewritten = new String(read.withModel("slm-\"v2\""), StandardCharsets.UTF_8);

        assertThat(rewritten).isEqualTo(expected);
        assertThat(MAPPER.readTree(rewritten).path("model").asText()).isEqualTo("slm-\"v2\"");
    }

    @Test
    void picksOutWhatRoutingNeeds() throws Exception {
        RequestBody read = RequestBody.read("""
                {"model": "task/parsing", "stream": true, "stream_options": {"include_usage": true, "x": [1]},
                 "messages": [{"role": "user", "content": "hi"}], "tools": [{"type": "function"}]}""".getBytes(),
                Operation.CHAT);

        assertThat(read.model()).isEqualTo("task/parsing");
        assertThat(read.stream()).isTrue();
        assertThat(read.streamUsage()).isTrue();
        assertThat(read.hasRequiredField()).isTrue();
        assertThat(RequestBody.read("{\"messages\": []}".getBytes(), Operation.CHAT).hasRequiredField()).isFalse();
        assertThat(RequestBody.read("{\"messages\": \"hi\"}".getBytes(), Operation.CHAT).hasRequiredField()).isFalse();
        assertThat(RequestBody.read("{\"prompt\": \"hi\"}".getBytes(), Operation.COMPLETIONS).hasRequiredField()).isTrue();
        assertThat(RequestBody.read("{\"prompt\": null}".getBytes(), Operation.COMPLETIONS).hasRequiredField()).isFalse();
        assertThat(RequestBody.read("{\"stream\": \"yes\", \"messages\": [1]}".getBytes(), Operation.CHAT).stream()).isFalse();
    }

    @Test
    void aShadowCallsBodyHasTheNewModelAndIsNotStreamed() throws Exception {
        RequestBody read = RequestBody.read("""
                {"model": "task/parsing", "stream": true, "stream_options": {"include_usage": true},
                 "messages": [{"role": "user", "content": "hi"}], "temperature": 0}""".getBytes(), Operation.CHAT);

        assertThat(MAPPER.readTree(read.forShadowCall("v4"))).isEqualTo(MAPPER.readTree("""
                {"model": "v4", "messages": [{"role": "user", "content": "hi"}], "temperature": 0}"""));
    }

    @Test
    void aShadowCallOfABodyThatDoesNotStreamIsSplicedNotRebuilt() throws Exception {
        byte[] body = """
                {"model":"task/parsing","stream":false,"messages":[{"role":"user","content":"h\\u00e9"}],"top_p":1.0}"""
                .getBytes();
        RequestBody read = RequestBody.read(body, Operation.CHAT);

        // byte for byte as the live call's body: the escape and the number's spelling survive
        assertThat(new String(read.forShadowCall("v4"))).isEqualTo(new String(read.withModel("v4")))
                .isEqualTo("""
                        {"model":"v4","stream":false,"messages":[{"role":"user","content":"h\\u00e9"}],"top_p":1.0}""");
        RequestBody withOptions = RequestBody.read("""
                {"model": "m", "stream_options": null, "messages": [1]}""".getBytes(), Operation.CHAT);
        assertThat(MAPPER.readTree(withOptions.forShadowCall("v4"))).isEqualTo(MAPPER.readTree("""
                {"model": "v4", "messages": [1]}"""));
    }

    @Test
    void refusesWhatIsNotOneJsonObject() {
        assertThatThrownBy(() -> RequestBody.read("[1]".getBytes(), Operation.CHAT))
                .isInstanceOf(RequestBody.NotAnObjectException.class);
        for (String broken : new String[] { "", "{", "{\"messages\": [1}", "{} {}", "{\"a\" 1}", "nul" }) {
            assertThatThrownBy(() -> RequestBody.read(broken.getBytes(), Operation.CHAT)).as(broken)
                    .isInstanceOf(IOException.class).isNotInstanceOf(RequestBody.NotAnObjectException.class);
        }
    }
}
