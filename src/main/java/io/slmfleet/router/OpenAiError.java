package io.slmfleet.router;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;

/** Errors in the OpenAI shape: {"error": {"message", "type", "param", "code"}}, so OpenAI clients show them as such. */
final class OpenAiError {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private OpenAiError() {
    }

    /**
     * @param code machine-readable reason, e.g. unknown_task
     * @param param the request field at fault, or null
     */
    static void send(HttpServerResponse response, int status, String code, String message, String param) {
        ObjectNode error = MAPPER.createObjectNode();
        ObjectNode body = error.putObject("error");
        body.put("message", message);
        body.put("type", type(status));
        body.put("param", param);
        body.put("code", code);
        response.setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .end(Buffer.buffer(error.toString()));
    }

    private static String type(int status) {
        if (status == 401) {
            return "authentication_error";
        }
        if (status < 500) {
            return "invalid_request_error";
        }
        return status == 504 ? "timeout_error" : "server_error";
    }
}
