package io.slmfleet.router;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

@QuarkusTest
@TestProfile(RouterTestProfile.class)
class RouterBadInputTest extends RouterTestBase {

    @Test
    void refusesBadBodiesWithOpenAiErrorsAndKeepsServing() throws Exception {
        try (FakeBackend slm = FakeBackend.start(backends, FakeBackend.completion("fine"))) {
            install(table(null, route("parsing", target("slm", slm, 1))));
            Map<String, String> task = Map.of("x-agent-task", "parsing");

            assertError(post(CHAT, "{\"messages\": [", task), 400, "invalid_json", null);
            assertError(post(CHAT, "", task), 400, "invalid_json", null);
            assertError(post(CHAT, "[1, 2]", task), 400, "invalid_json", null);
            assertError(post(CHAT, "{\"model\": \"m\"}", task), 400, "missing_messages", "messages");
            assertError(post(CHAT, "{\"model\": \"m\", \"messages\": []}", task), 400, "missing_messages", "messages");
            assertError(post("/v1/completions", "{\"model\": \"m\"}", task), 400, "missing_prompt", "prompt");
            assertThat(slm.count()).isZero();

            assertThat(post(CHAT, chatBody("m"), task).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void refusesBodiesOverTheLimitDeclaredOrNot() throws Exception {
        try (FakeBackend slm = FakeBackend.start(backends, FakeBackend.completion("fine"))) {
            install(table(null, route("parsing", target("slm", slm, 1))));
            String large = "{\"model\":\"task/parsing\",\"messages\":[{\"role\":\"user\",\"content\":\""
                    + "x".repeat(100 * 1024) + "\"}]}";

            assertError(post(CHAT, large, Map.of()), 413, "body_too_large", null);

            HttpRequest chunked = request(CHAT).header("content-type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(large.getBytes())))
                    .build();
            assertError(HTTP.send(chunked, HttpResponse.BodyHandlers.ofString()), 413, "body_too_large", null);
            assertThat(slm.count()).isZero();

            String justUnder = "{\"model\":\"task/parsing\",\"messages\":[{\"role\":\"user\",\"content\":\""
                    + "x".repeat(60 * 1024) + "\"}]}";
            assertThat(post(CHAT, justUnder, Map.of()).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void letsOnlyCallersWithAKnownTokenIn() throws Exception {
        try (FakeBackend slm = FakeBackend.start(backends, FakeBackend.completion("fine"))) {
            install(table(null, route("parsing", target("slm", slm, 1))));

            HttpRequest.Builder noToken = HttpRequest.newBuilder(root.resolve(CHAT))
                    .POST(HttpRequest.BodyPublishers.ofString(chatBody("task/parsing")));
            HttpResponse<String> anonymous = HTTP.send(noToken.build(), HttpResponse.BodyHandlers.ofString());
            assertError(anonymous, 401, "invalid_api_key", null);
            assertThat(FakeBackend.MAPPER.readTree(anonymous.body()).path("error").path("type").asText())
                    .isEqualTo("authentication_error");

            for (String authorization : new String[] { "Bearer wrong", "Basic " + RouterTestProfile.TOKEN,
                    "Bearer " + RouterTestProfile.TOKEN + "x", "Bearer" }) {
                HttpResponse<String> response = post(CHAT, chatBody("task/parsing"), Map.of("authorization", authorization));
                assertThat(response.statusCode()).as(authorization).isEqualTo(401);
            }
            HttpResponse<String> models = HTTP.send(HttpRequest.newBuilder(root.resolve("/v1/models")).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(models.statusCode()).isEqualTo(401);
            assertThat(slm.count()).isZero();

            HttpResponse<String> second = post(CHAT, chatBody("task/parsing"),
                    Map.of("authorization", "bearer " + RouterTestProfile.OTHER_TOKEN));
            assertThat(second.statusCode()).as("any listed token, scheme case-insensitive").isEqualTo(200);
        }
    }

    @Test
    void answersWrongMethodsAndUnknownPaths() throws Exception {
        HttpResponse<String> get = HTTP.send(HttpRequest.newBuilder(root.resolve(CHAT)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertError(get, 405, "method_not_allowed", null);
        assertThat(get.headers().firstValue("allow")).hasValue("POST");
        HttpResponse<String> postModels = post("/v1/models", "{}", Map.of());
        assertThat(postModels.statusCode()).isEqualTo(405);
        assertThat(postModels.headers().firstValue("allow")).hasValue("GET");

        // not the API's: Quarkus' routes answer, as they answer /q/health and /q/metrics on this port
        HttpResponse<String> unknown = HTTP.send(HttpRequest.newBuilder(root.resolve("/v1/embeddings"))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(unknown.statusCode()).isEqualTo(404);
        HttpResponse<String> live = HTTP.send(HttpRequest.newBuilder(root.resolve("/q/health/live")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(live.statusCode()).isEqualTo(200);
    }

    private static void assertError(HttpResponse<String> response, int status, String code, String param)
            throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        JsonNode error = FakeBackend.MAPPER.readTree(response.body()).path("error");
        assertThat(error.path("code").asText()).isEqualTo(code);
        assertThat(error.path("message").asText()).isNotBlank();
        assertThat(error.path("type").asText()).isNotBlank();
        if (param != null) {
            assertThat(error.path("param").asText()).isEqualTo(param);
        }
    }
}
