package io.slmfleet.router;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.slmfleet.router.RouterMetrics.Outcome;
import io.slmfleet.router.capture.CaptureRecord;
import io.slmfleet.router.shadow.ShadowComparisons;
import io.slmfleet.router.table.ActiveFallback;
import io.slmfleet.router.table.ActiveRoute;
import io.slmfleet.router.table.ActiveTable;
import io.slmfleet.router.table.ActiveTarget;
import io.slmfleet.router.table.Upstream;
import io.slmfleet.routing.RouterContract;
import io.slmfleet.routing.RoutingTable;
import io.slmfleet.routing.RoutingTable.FallbackReason;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;

/**
 * One caller request, from its body to the last byte of the answer: pick a target, call it, retry another pick while
 * nothing reached the caller, escalate to the fallback, answer. All callbacks run on the request's event loop, so
 * the fields need no locking; an {@link Attempt} that timed out or was superseded ignores its late callbacks.
 */
final class Exchange {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** Raised when a usage record changes shape incompatibly; curation skips records of versions it does not know. */
    private static final int CAPTURE_SCHEMA_VERSION = 1;
    /** Besides the operation's required field: what curation needs to rebuild the request (tools, response format). */
    private static final List<String> CAPTURED_REQUEST_FIELDS = List.of("tools", "response_format");

    /** Caller headers not forwarded upstream: hop-by-hop, recomputed, or the caller's credentials. */
    private static final Set<String> REQUEST_HEADERS_NOT_FORWARDED = lowerCaseNames("connection", "keep-alive",
            "proxy-authenticate", "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade", "host",
            "content-length", "content-type", "authorization", "accept-encoding", "expect");

    /** Upstream headers not passed back: hop-by-hop, or recomputed by the router. */
    private static final Set<String> RESPONSE_HEADERS_NOT_RETURNED = lowerCaseNames("connection", "keep-alive",
            "proxy-authenticate", "trailer", "transfer-encoding", "upgrade", "content-length",
            RouterContract.ROUTE_HEADER, RouterContract.TARGET_HEADER, RouterContract.FALLBACK_HEADER);

    private static final String TASK_ALIAS_PREFIX = "task/";

    private final ProxyHandler proxy;
    private final HttpServerRequest request;
    private final HttpServerResponse response;
    private final Operation operation;
    private final long startNanos = System.nanoTime();

    private ActiveTable table;
    private RequestBody body;
    private boolean stream;
    private boolean streamUsage;
    private String task;
    private ActiveRoute route;
    private String routeLabel = RouterMetrics.UNKNOWN;
    private boolean sampled;
    /** Picked for a comparison of the route's delegation candidate against its reference. */
    private boolean compared;
    private long triedTargets;
    private int targetAttempts;
    private Attempt current;
    private FallbackReason fallbackReason;
    private boolean finished;
    private long lastChunkNanos;
    private long streamTimer = -1;

    Exchange(ProxyHandler proxy, HttpServerRequest request, Operation operation) {
        this.proxy = proxy;
        this.request = request;
        this.response = request.response();
        this.operation = operation;
    }

    void start() {
        if (!proxy.auth.permits(request.getHeader(HttpHeaders.AUTHORIZATION))) {
            refuseUnread(401, Outcome.unauthorized, "invalid_api_key", "a valid bearer token is required");
            return;
        }
        table = proxy.tables.current();
        if (table == null) {
            refuseUnread(503, Outcome.error, "no_routing_table", "the router has no routing table loaded yet");
            return;
        }
        String declaredLength = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        long declared = parseLength(declaredLength);
        if (declared > proxy.maxBodyBytes) {
            refuseUnread(413, Outcome.bad_request, "body_too_large", tooLargeMessage());
            return;
        }
        Buffer received = Buffer.buffer(declared > 0 ? (int) declared : 4096);
        request.handler(chunk -> {
            if (finished) {
                return;
            }
            if (received.length() + chunk.length() > proxy.maxBodyBytes) {
                refuseUnread(413, Outcome.bad_request, "body_too_large", tooLargeMessage());
                return;
            }
            received.appendBuffer(chunk);
        });
        request.exceptionHandler(error -> abandon());
        request.endHandler(end -> {
            if (!finished) {
                onBody(received);
            }
        });
        request.resume();
    }

    private String tooLargeMessage() {
        return "request body exceeds " + proxy.maxBodyBytes + " bytes";
    }

    private static long parseLength(String value) {
        if (value == null) {
            return -1;
        }
        try {
            return Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private void onBody(Buffer received) {
        try {
            body = RequestBody.read(received.getBytes(), operation);
        } catch (RequestBody.NotAnObjectException e) {
            refuse(400, Outcome.bad_request, "invalid_json", e.getMessage(), null);
            return;
        } catch (IOException e) {
            String reason = e instanceof JsonProcessingException json ? json.getOriginalMessage() : e.getMessage();
            refuse(400, Outcome.bad_request, "invalid_json", "request body is not valid JSON: " + reason, null);
            return;
        }
        if (!body.hasRequiredField()) {
            String message = operation == Operation.CHAT ? "'messages' must be a non-empty array"
                    : "'prompt' is required";
            refuse(400, Outcome.bad_request, "missing_" + operation.requiredField, message, operation.requiredField);
            return;
        }
        stream = body.stream();
        streamUsage = stream && body.streamUsage();
        task = taskOf(request.getHeader(RouterContract.TASK_HEADER), body.model());
        route = table.route(task);
        if (route != null) {
            routeLabel = route.task();
        }
        RoutingTable.UsageCapture capture = table.usageCapture();
        sampled = capture.enabled() && capture.directory() != null
                && ThreadLocalRandom.current().nextDouble() < capture.sampleRate();
        compared = route != null && route.delegation() != null
                && ThreadLocalRandom.current().nextDouble() < route.delegation().shadowRate();
        response.closeHandler(closed -> abandon());
        if (route == null) {
            unknownTask();
        } else if (route.targets().isEmpty()) {
            escalate(FallbackReason.error, Failure.NO_TARGET, "task " + route.task() + " has no ready target", null);
        } else {
            callTarget();
        }
    }

    /** The header wins over the model alias; null when the request names no task. */
    static String taskOf(String header, String model) {
        if (header != null && !header.isBlank()) {
            return header.strip();
        }
        if (model != null && model.startsWith(TASK_ALIAS_PREFIX) && model.length() > TASK_ALIAS_PREFIX.length()) {
            return model.substring(TASK_ALIAS_PREFIX.length());
        }
        return null;
    }

    private void unknownTask() {
        ActiveFallback fallback = table.fallback();
        if (fallback != null && fallback.covers(FallbackReason.unknownTask)) {
            callFallback(FallbackReason.unknownTask);
        } else if (task == null) {
            refuse(400, Outcome.bad_request, "missing_task", "the request names no task: set the "
                    + RouterContract.TASK_HEADER + " header or the model task/<task>", "model");
        } else {
            refuse(404, Outcome.bad_request, "unknown_task", "no route for task '" + task + "'", "model");
        }
    }

    private void callTarget() {
        ActiveTarget target = route.pick(ThreadLocalRandom.current(), triedTargets);
        triedTargets |= 1L << target.index();
        targetAttempts++;
        if (target.role() == ActiveTarget.Role.FALLBACK) {
            // a route without trusted targets: the fallback serves it as normal traffic, no fallback reason
            ActiveFallback fallback = table.fallback();
            call(new Attempt(ActiveFallback.LABEL, fallback.model(), fallback.upstream(), fallback.authorization(),
                    proxy.fallbackTimeoutMillis, true));
            return;
        }
        call(new Attempt(target.label(), target.model(), target.upstream(), null, route.timeoutMillis(), false));
    }

    private void callFallback(FallbackReason reason) {
        ActiveFallback fallback = table.fallback();
        fallbackReason = reason;
        proxy.metrics.fallback(routeLabel, reason);
        call(new Attempt(ActiveFallback.LABEL, fallback.model(), fallback.upstream(), fallback.authorization(),
                proxy.fallbackTimeoutMillis, true));
    }

    private void call(Attempt attempt) {
        current = attempt;
        Buffer payload = Buffer.buffer(body.withModel(attempt.model));
        attempt.timer = proxy.vertx.setTimer(attempt.timeoutMillis, fired -> {
            attempt.timer = -1;
            if (!attempt.over) {
                attempt.cancel();
                failed(attempt, FallbackReason.timeout, Failure.TIMEOUT,
                        attempt.label + " did not answer within " + attempt.timeoutMillis + " ms");
            }
        });
        Upstream upstream = attempt.upstream;
        RequestOptions options = new RequestOptions()
                .setMethod(HttpMethod.POST)
                .setHost(upstream.host())
                .setPort(upstream.port())
                .setSsl(upstream.ssl())
                .setURI(upstream.uri(operation.path))
                .setConnectTimeout(Math.min(proxy.connectTimeoutMillis, attempt.timeoutMillis));
        proxy.clients.current().request(options).onComplete(opened -> {
            if (attempt.over) {
                if (opened.succeeded()) {
                    opened.result().reset();
                }
                return;
            }
            if (opened.failed()) {
                failed(attempt, FallbackReason.error, Failure.UNREACHABLE,
                        "cannot reach " + attempt.label + ": " + describe(opened.cause()));
                return;
            }
            attempt.request = opened.result();
            forwardHeaders(attempt);
            attempt.request.send(payload).onComplete(answered -> {
                if (attempt.over) {
                    return;
                }
                if (answered.failed()) {
                    failed(attempt, FallbackReason.error, Failure.UNREACHABLE,
                            attempt.label + " failed: " + describe(answered.cause()));
                    return;
                }
                onResponseHead(attempt, answered.result());
            });
        });
    }

    private void forwardHeaders(Attempt attempt) {
        MultiMap headers = attempt.request.headers();
        for (Map.Entry<String, String> header : request.headers()) {
            if (!REQUEST_HEADERS_NOT_FORWARDED.contains(lowerCase(header.getKey()))) {
                headers.add(header.getKey(), header.getValue());
            }
        }
        headers.set(HttpHeaders.CONTENT_TYPE, "application/json");
        if (attempt.authorization != null) {
            headers.set(HttpHeaders.AUTHORIZATION, attempt.authorization);
        }
    }

    private void onResponseHead(Attempt attempt, HttpClientResponse upstream) {
        int status = upstream.statusCode();
        if (status == 429 || status >= 500) {
            // read it to the end, so the connection goes back to the pool
            upstream.body();
            failed(attempt, FallbackReason.error, status == 429 ? Failure.OVERLOADED : Failure.STATUS_5XX,
                    attempt.label + " answered " + status);
            return;
        }
        if (stream && status / 100 == 2) {
            relayStream(attempt, upstream);
            return;
        }
        upstream.body().onComplete(read -> {
            if (attempt.over) {
                return;
            }
            if (read.failed()) {
                failed(attempt, FallbackReason.error, Failure.UNREACHABLE,
                        attempt.label + " broke off its answer: " + describe(read.cause()));
                return;
            }
            attempt.finish();
            onAnswer(attempt, upstream, read.result());
        });
    }

    /** A complete non-streaming answer: count tokens, check the schema, deliver or escalate. */
    private void onAnswer(Attempt attempt, HttpClientResponse upstream, Buffer answer) {
        int status = upstream.statusCode();
        if (status / 100 != 2) {
            proxy.metrics.attempt(routeLabel, attempt.label, "status_4xx");
            deliver(attempt, upstream, answer, Outcome.upstream_rejected, null);
            return;
        }
        byte[] bytes = answer.getBytes();
        TokenUsage usage = TokenUsage.of(bytes);
        proxy.metrics.tokens(routeLabel, attempt.label, usage.prompt(), usage.completion());
        boolean checkSchema = !attempt.fallback && route != null && route.schema() != null;
        // the tree is only built when something needs more than the token counts
        JsonNode completion = checkSchema || sampled || compared ? parseQuietly(bytes) : null;
        Outcome outcome = Outcome.ok;
        if (checkSchema) {
            String problem = completion == null ? "the answer is not JSON" : route.schema().problemWith(completion);
            if (problem != null) {
                proxy.metrics.attempt(routeLabel, attempt.label, "invalid_output");
                ActiveFallback fallback = table.fallback();
                if (fallback != null && fallback.covers(FallbackReason.invalidOutput)) {
                    callFallback(FallbackReason.invalidOutput);
                    return;
                }
                outcome = Outcome.invalid_output;
            }
        }
        if (outcome == Outcome.ok) {
            proxy.metrics.attempt(routeLabel, attempt.label, "ok");
        }
        deliver(attempt, upstream, answer, outcome, completion);
    }

    private void deliver(Attempt attempt, HttpClientResponse upstream, Buffer answer, Outcome outcome,
            JsonNode completion) {
        response.setStatusCode(upstream.statusCode());
        copyResponseHeaders(upstream.headers());
        routeHeaders(attempt.label);
        response.end(answer);
        complete(outcome, attempt.label, upstream.statusCode(), completion == null ? null : completion.get("choices"),
                completion == null ? null : completion.get("usage"));
    }

    /**
     * Passes a streaming answer through chunk by chunk as it arrives, pausing the upstream while the caller's
     * connection cannot take more. From here on nothing can be retried: the caller has the first byte.
     */
    private void relayStream(Attempt attempt, HttpClientResponse upstream) {
        attempt.finish();
        proxy.metrics.attempt(routeLabel, attempt.label, "ok");
        // not HttpClientRequest.idleTimeout: its timer outlives the request and can reset the pooled connection's
        // next user
        lastChunkNanos = System.nanoTime();
        watchStream(attempt, upstream);
        response.setStatusCode(upstream.statusCode());
        copyResponseHeaders(upstream.headers());
        routeHeaders(attempt.label);
        String length = upstream.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length != null) {
            response.putHeader(HttpHeaders.CONTENT_LENGTH, length);
        } else {
            response.setChunked(true);
        }
        StreamTap tap = streamUsage || sampled || compared ? new StreamTap(sampled || compared) : null;
        response.drainHandler(drained -> upstream.resume());
        upstream.handler(chunk -> {
            if (finished) {
                return;
            }
            lastChunkNanos = System.nanoTime();
            if (tap != null) {
                tap.accept(chunk);
            }
            response.write(chunk);
            if (response.writeQueueFull()) {
                upstream.pause();
            }
        });
        upstream.exceptionHandler(error -> breakStream(attempt, upstream));
        upstream.endHandler(end -> {
            if (finished) {
                return;
            }
            proxy.vertx.cancelTimer(streamTimer);
            response.end();
            JsonNode usage = tap == null ? null : tap.usage();
            if (usage != null) {
                proxy.metrics.tokens(routeLabel, attempt.label, usage.path("prompt_tokens").asLong(),
                        usage.path("completion_tokens").asLong());
            }
            complete(Outcome.ok, attempt.label, upstream.statusCode(), tap == null ? null : tap.choices(), usage);
        });
    }

    /** Ends a stream whose upstream sent nothing for the attempt's timeout: no request hangs past its deadline. */
    private void watchStream(Attempt attempt, HttpClientResponse upstream) {
        long idleNanos = System.nanoTime() - lastChunkNanos;
        long timeoutNanos = attempt.timeoutMillis * 1_000_000;
        if (idleNanos >= timeoutNanos) {
            attempt.request.reset();
            breakStream(attempt, upstream);
            return;
        }
        streamTimer = proxy.vertx.setTimer(Math.max(1, (timeoutNanos - idleNanos) / 1_000_000),
                fired -> {
                    if (!finished) {
                        watchStream(attempt, upstream);
                    }
                });
    }

    /** The caller already has part of the answer: all that is left is to cut its connection, so it sees the break. */
    private void breakStream(Attempt attempt, HttpClientResponse upstream) {
        if (finished) {
            return;
        }
        proxy.vertx.cancelTimer(streamTimer);
        response.reset();
        complete(Outcome.stream_broken, attempt.label, upstream.statusCode(), null, null);
    }

    /** An attempt that got nothing to the caller failed: retry another pick, escalate, or answer with the error. */
    private void failed(Attempt attempt, FallbackReason reason, Failure failure, String detail) {
        attempt.finish();
        proxy.metrics.attempt(routeLabel, attempt.label, failure.result);
        if (finished) {
            return;
        }
        if (attempt.fallback) {
            refuse(failure.status, failure.outcome, "fallback_" + failure.code, "the fallback did not answer ("
                    + detail + ")" + (fallbackReason == null ? "" : " after " + fallbackReason), null);
            return;
        }
        if (targetAttempts <= route.retries()) {
            callTarget();
            return;
        }
        escalate(reason, failure, detail, attempt.label);
    }

    private void escalate(FallbackReason reason, Failure failure, String detail, String lastTarget) {
        ActiveFallback fallback = table.fallback();
        if (fallback != null && fallback.covers(reason)) {
            callFallback(reason);
            return;
        }
        routeHeaders(lastTarget);
        refuse(failure.status, failure.outcome, failure.code, detail, null);
    }

    /** Answers with an error before the body was read: the unread rest makes the connection unusable. */
    private void refuseUnread(int status, Outcome outcome, String code, String message) {
        if (!request.isEnded()) {
            response.putHeader(HttpHeaders.CONNECTION, "close");
        }
        refuse(status, outcome, code, message, null);
    }

    private void refuse(int status, Outcome outcome, String code, String message, String param) {
        if (finished) {
            return;
        }
        if (fallbackReason != null) {
            routeHeaders(ActiveFallback.LABEL);
        } else if (route != null) {
            response.putHeader(RouterContract.ROUTE_HEADER, route.task());
        }
        OpenAiError.send(response, status, code, message, param);
        complete(outcome, current == null ? RouterMetrics.NONE : current.label, status, null, null);
    }

    /** The caller went away: stop the upstream call, which may be generating tokens for nobody. */
    private void abandon() {
        if (finished) {
            return;
        }
        if (current != null) {
            current.cancel();
        }
        proxy.vertx.cancelTimer(streamTimer);
        complete(Outcome.client_closed, current == null ? RouterMetrics.NONE : current.label, 499, null, null);
    }

    private void routeHeaders(String target) {
        if (route != null) {
            response.putHeader(RouterContract.ROUTE_HEADER, route.task());
        }
        if (target != null) {
            response.putHeader(RouterContract.TARGET_HEADER, target);
        }
        if (fallbackReason != null) {
            response.putHeader(RouterContract.FALLBACK_HEADER, fallbackReason.name());
        }
    }

    private void copyResponseHeaders(MultiMap upstream) {
        for (Map.Entry<String, String> header : upstream) {
            if (!RESPONSE_HEADERS_NOT_RETURNED.contains(lowerCase(header.getKey()))) {
                response.headers().add(header.getKey(), header.getValue());
            }
        }
    }

    private void complete(Outcome outcome, String target, int status, JsonNode choices, JsonNode usage) {
        if (finished) {
            return;
        }
        finished = true;
        long nanos = System.nanoTime() - startNanos;
        proxy.metrics.request(routeLabel, target, outcome, nanos);
        if (sampled && (outcome == Outcome.ok || outcome == Outcome.invalid_output)) {
            capture(outcome, target, status, nanos, choices, usage);
        }
        if (compared && (outcome == Outcome.ok || outcome == Outcome.invalid_output)) {
            proxy.shadow.compare(new ShadowComparisons.Compared(route, table.fallback(), operation.path,
                    body::forShadowCall, () -> {
                        JsonNode caller = parseQuietly(body.bytes());
                        return caller == null ? null : caller.get(operation.requiredField);
                    }, target, choices));
        }
    }

    private void capture(Outcome outcome, String target, int status, long nanos, JsonNode choices, JsonNode usage) {
        RoutingTable.UsageCapture settings = table.usageCapture();
        ObjectNode record = MAPPER.createObjectNode();
        record.put("schemaVersion", CAPTURE_SCHEMA_VERSION);
        record.put("time", Instant.now().toString());
        record.put("agentRoute", table.source().route());
        record.put("task", route == null ? null : route.task());
        record.put("target", target);
        record.put("fallbackReason", fallbackReason == null ? null : fallbackReason.name());
        record.put("status", status);
        record.put("outcome", outcome.name());
        record.put("latencyMs", nanos / 1_000_000.0);
        record.set("usage", usage);
        ObjectNode requestRecord = record.putObject("request");
        JsonNode caller = parseQuietly(body.bytes());
        if (caller != null) {
            requestRecord.set(operation.requiredField, caller.get(operation.requiredField));
            for (String field : CAPTURED_REQUEST_FIELDS) {
                if (caller.has(field)) {
                    requestRecord.set(field, caller.get(field));
                }
            }
        }
        record.putObject("response").set("choices", choices);
        proxy.capture.offer(new CaptureRecord(Path.of(settings.directory()), settings.redactPII(), record));
    }

    private static JsonNode parseQuietly(byte[] bytes) {
        try {
            return MAPPER.readTree(bytes);
        } catch (IOException e) {
            return null;
        }
    }

    private static String describe(Throwable error) {
        return error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage();
    }

    /** Lower-case names; looked up with {@link #lowerCase}, which allocates nothing for names already in lower case. */
    private static Set<String> lowerCaseNames(String... names) {
        Set<String> set = new HashSet<>();
        for (String name : names) {
            set.add(lowerCase(name));
        }
        return set;
    }

    private static String lowerCase(String name) {
        return name.toLowerCase(Locale.ROOT);
    }

    /** Why an attempt got no usable answer, and what the caller gets when nothing else can answer. */
    private enum Failure {
        UNREACHABLE(502, "upstream_error", "error", Outcome.error),
        STATUS_5XX(502, "upstream_error", "status_5xx", Outcome.error),
        OVERLOADED(503, "upstream_overloaded", "status_429", Outcome.error),
        NO_TARGET(503, "no_ready_target", "no_target", Outcome.error),
        TIMEOUT(504, "upstream_timeout", "timeout", Outcome.timeout);

        final int status;
        final String code;
        /** The upstream attempts metric's result label. */
        final String result;
        final Outcome outcome;

        Failure(int status, String code, String result, Outcome outcome) {
            this.status = status;
            this.code = code;
            this.result = result;
            this.outcome = outcome;
        }
    }

    /** One call to a target or the fallback. */
    private final class Attempt {

        final String label;
        final String model;
        final Upstream upstream;
        final String authorization;
        final long timeoutMillis;
        final boolean fallback;
        long timer = -1;
        HttpClientRequest request;
        /** Set once the attempt has ended one way or another: later callbacks of its call are ignored. */
        boolean over;

        Attempt(String label, String model, Upstream upstream, String authorization, long timeoutMillis,
                boolean fallback) {
            this.label = label;
            this.model = model;
            this.upstream = upstream;
            this.authorization = authorization;
            this.timeoutMillis = timeoutMillis;
            this.fallback = fallback;
        }

        void finish() {
            over = true;
            if (timer >= 0) {
                proxy.vertx.cancelTimer(timer);
                timer = -1;
            }
        }

        /** Ends the call and drops its connection, e.g. on timeout or when the caller left. */
        void cancel() {
            finish();
            if (request != null) {
                request.reset();
            }
        }
    }
}
