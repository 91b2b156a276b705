package io.slmfleet.router;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.slmfleet.router.capture.UsageCapture;
import io.slmfleet.router.shadow.ShadowComparisons;
import io.slmfleet.router.table.ActiveTable;
import io.slmfleet.router.table.CallerAuth;
import io.slmfleet.router.table.RoutingTableSource;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;

/**
 * The router's OpenAI-compatible endpoints. Everything runs on the Vert.x event loop that received the request; a
 * request's state lives in its {@link Exchange}.
 */
public final class ProxyHandler {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    final Vertx vertx;
    final UpstreamClients clients;
    final RoutingTableSource tables;
    final CallerAuth auth;
    final RouterMetrics metrics;
    final UsageCapture capture;
    final ShadowComparisons shadow;
    final long maxBodyBytes;
    final long fallbackTimeoutMillis;
    final long connectTimeoutMillis;

    ProxyHandler(Vertx vertx, UpstreamClients clients, RoutingTableSource tables, CallerAuth auth, RouterMetrics metrics,
            UsageCapture capture, ShadowComparisons shadow, long maxBodyBytes, long fallbackTimeoutMillis,
            long connectTimeoutMillis) {
        this.vertx = vertx;
        this.clients = clients;
        this.tables = tables;
        this.auth = auth;
        this.metrics = metrics;
        this.capture = capture;
        this.shadow = shadow;
        this.maxBodyBytes = maxBodyBytes;
        this.fallbackTimeoutMillis = fallbackTimeoutMillis;
        this.connectTimeoutMillis = connectTimeoutMillis;
    }

    public void chatCompletions(HttpServerRequest request) {
        new Exchange(this, request, Operation.CHAT).start();
    }

    public void completions(HttpServerRequest request) {
        new Exchange(this, request, Operation.COMPLETIONS).start();
    }

    /** The task aliases callers can use, each with the models behind it, and the fallback's model. */
    public void models(HttpServerRequest request) {
        if (!auth.permits(request.getHeader(HttpHeaders.AUTHORIZATION))) {
            OpenAiError.send(request.response(), 401, "invalid_api_key", "a valid bearer token is required", null);
            return;
        }
        ActiveTable table = tables.current();
        if (table == null) {
            OpenAiError.send(request.response(), 503, "no_routing_table", "no routing table loaded", null);
            return;
        }
        ObjectNode list = MAPPER.createObjectNode().put("object", "list");
        ArrayNode data = list.putArray("data");
        table.routes().values().forEach(route -> {
            ObjectNode model = data.addObject().put("id", "task/" + route.task()).put("object", "model")
                    .put("created", 0).put("owned_by", "slm-fleet");
            ArrayNode targets = model.putArray("targets");
            route.targets().forEach(target -> targets.addObject().put("target", target.label())
                    .put("model", target.model()).put("weight", target.weight()));
        });
        if (table.fallback() != null) {
            data.addObject().put("id", table.fallback().model()).put("object", "model").put("created", 0)
                    .put("owned_by", "fallback");
        }
        request.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(Buffer.buffer(list.toString()));
    }
}
