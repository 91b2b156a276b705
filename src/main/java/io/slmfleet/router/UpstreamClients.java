package io.slmfleet.router;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;

/**
 * One pooled HTTP client per event loop. A request is handled on the event loop that accepted it; when its upstream
 * connection belongs to the same loop, the call never hops threads (a shared pool hands out connections of other
 * loops, and every hop costs a wake-up and a context switch each way).
 */
final class UpstreamClients {

    private final Vertx vertx;
    private final HttpClientOptions options;
    private final PoolOptions pool;
    private final Map<Thread, HttpClient> byEventLoop = new ConcurrentHashMap<>();

    UpstreamClients(Vertx vertx, HttpClientOptions options, PoolOptions pool) {
        this.vertx = vertx;
        this.options = options;
        this.pool = pool;
    }

    /** The calling event loop's client. */
    HttpClient current() {
        return byEventLoop.computeIfAbsent(Thread.currentThread(), loop -> vertx.createHttpClient(options, pool));
    }

    void close() {
        byEventLoop.values().forEach(HttpClient::close);
        byEventLoop.clear();
    }
}
