package io.slmfleet.router;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.epoll.Epoll;
import io.quarkus.runtime.ShutdownEvent;
import io.slmfleet.config.OperatorConfig;
import io.slmfleet.config.OperatorConfig.RouterSettings;
import io.slmfleet.router.capture.UsageCapture;
import io.slmfleet.router.shadow.ShadowComparisons;
import io.slmfleet.router.table.CallerAuth;
import io.slmfleet.router.table.RoutingTableSource;
import io.slmfleet.routing.RouterContract;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.PoolOptions;
import io.vertx.ext.web.Router;

/**
 * Router mode: serves the OpenAI-compatible API on a bare Vert.x HTTP server of its own (port
 * {@link RouterContract#PORT}), loads the routing table and the callers' tokens, and watches both files. In every other
 * mode it does nothing.
 * <p>
 * The API's requests skip Vert.x Web and Quarkus' request wrapping: the proxy path handles the request and response
 * directly, so a request costs the HTTP codec and the proxy's own work (docs/router.md, "Data path"). Every other
 * request on the port (/q/health, /q/metrics, and the 404 for unknown paths) is handed to Quarkus' router, so probes
 * and scrapes read the port they always did. Quarkus' own listener is not started in router mode ({@link
 * io.slmfleet.app.SlmFleetMain}).
 */
@ApplicationScoped
public class RouterServer {

    private static final Logger LOG = Logger.getLogger(RouterServer.class);

    /**
     * Below the keep-alive timeout of common model servers (uvicorn's 5 s), so the router drops an idle connection
     * before the server does, and never sends a request on a connection the server is closing.
     */
    private static final int UPSTREAM_KEEP_ALIVE_SECONDS = 4;
    /** As Quarkus' HTTP server's default (quarkus.http.idle-timeout): agents keep connections open between calls. */
    private static final int SERVER_IDLE_TIMEOUT_MINUTES = 30;
    private static final int START_TIMEOUT_SECONDS = 30;
    private static final String API_PREFIX = "/v1";
    private static final String CHAT_PATH = API_PREFIX + Operation.CHAT.path;
    private static final String COMPLETIONS_PATH = API_PREFIX + Operation.COMPLETIONS.path;
    private static final String MODELS_PATH = API_PREFIX + "/models";

    private final OperatorConfig config;
    private final Vertx vertx;
    private final MeterRegistry registry;

    private RoutingTableSource tables;
    private CallerAuth auth;
    private UpstreamClients clients;
    private UsageCapture capture;
    private ScheduledExecutorService watcher;
    private int port;

    public RouterServer(OperatorConfig config, Vertx vertx, MeterRegistry registry) {
        this.config = config;
        this.vertx = vertx;
        this.registry = registry;
    }

    /** Runs when Quarkus has built its routes (health, metrics), which requests outside the API are handed to. */
    void start(@Observes Router quarkusRoutes) {
        if (config.mode() != OperatorConfig.Mode.router) {
            return;
        }
        RouterSettings settings = config.router();
        RouterMetrics metrics = new RouterMetrics(registry);
        tables = new RoutingTableSource(Path.of(settings.tableFile()), RouterServer::secret, metrics::tableReload);
        auth = new CallerAuth(settings.authTokensFile().map(Path::of).orElse(null));
        tables.reloadIfChanged();
        auth.reloadIfChanged();
        watcher = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "slmfleet-router-watch");
            thread.setDaemon(true);
            return thread;
        });
        long interval = settings.reloadInterval().toMillis();
        watcher.scheduleWithFixedDelay(this::reloadChangedFiles, interval, interval, TimeUnit.MILLISECONDS);

        clients = new UpstreamClients(vertx, new HttpClientOptions()
                .setName("slmfleet-router")
                .setKeepAlive(true)
                .setKeepAliveTimeout(UPSTREAM_KEEP_ALIVE_SECONDS)
                .setConnectTimeout((int) settings.connectTimeout().toMillis())
                .setForceSni(true)
                .setVerifyHost(true),
                new PoolOptions().setHttp1MaxSize(settings.maxConnectionsPerUpstream()));
        capture = new UsageCapture(settings.capture().queueSize(), settings.capture().maxFileSize().asLongValue(),
                System.getenv().getOrDefault("HOSTNAME", "router"), Clock.systemUTC(), metrics);
        ShadowComparisons shadow = new ShadowComparisons(vertx, clients::current, settings.shadowConcurrency(),
                settings.fallbackTimeout().toMillis(), settings.connectTimeout().toMillis(), metrics);
        metrics.comparisonsRunning(shadow);
        ProxyHandler proxy = new ProxyHandler(vertx, clients, tables, auth, metrics, capture, shadow,
                settings.maxBodySize().asLongValue(), settings.fallbackTimeout().toMillis(),
                settings.connectTimeout().toMillis());

        Handler<HttpServerRequest> requests = request -> dispatch(request, proxy, quarkusRoutes);
        port = listen(settings.port(), requests);
        logTransport();
        LOG.infof("Agent router serving /v1 on port %d with the routing table %s%s", port, settings.tableFile(),
                auth.enabled() ? ", callers authenticated" : "");
    }

    /** The API's three endpoints by exact path and method; anything else is Quarkus' to answer. */
    private static void dispatch(HttpServerRequest request, ProxyHandler proxy, Router quarkusRoutes) {
        String path = request.path();
        HttpMethod method = request.method();
        if (method == HttpMethod.POST && path.equals(CHAT_PATH)) {
            proxy.chatCompletions(request);
        } else if (method == HttpMethod.POST && path.equals(COMPLETIONS_PATH)) {
            proxy.completions(request);
        } else if (method == HttpMethod.GET && path.equals(MODELS_PATH)) {
            proxy.models(request);
        } else if (path.equals(CHAT_PATH) || path.equals(COMPLETIONS_PATH) || path.equals(MODELS_PATH)) {
            request.response().putHeader(HttpHeaders.ALLOW, path.equals(MODELS_PATH) ? "GET" : "POST");
            OpenAiError.send(request.response(), 405, "method_not_allowed",
                    request.method() + " is not allowed on " + path, null);
        } else {
            quarkusRoutes.handle(request);
        }
    }

    /**
     * One server per core, all on the same port, each on an event loop of its own: Vert.x spreads the accepted
     * connections over them, and a connection's requests stay on its loop, with that loop's upstream client.
     *
     * @return the port bound
     */
    private int listen(int requestedPort, Handler<HttpServerRequest> requests) {
        int port = requestedPort == 0 ? freePort() : requestedPort;
        HttpServerOptions options = new HttpServerOptions()
                .setHost("0.0.0.0")
                .setPort(port)
                .setIdleTimeout(SERVER_IDLE_TIMEOUT_MINUTES)
                .setIdleTimeoutUnit(TimeUnit.MINUTES)
                .setHandle100ContinueAutomatically(true);
        int loops = Math.max(1, Runtime.getRuntime().availableProcessors());
        await(vertx.deployVerticle(() -> new ApiVerticle(options, requests), new DeploymentOptions().setInstances(loops)));
        return port;
    }

    /** A port free now; Vert.x shares a port among servers only when they name it, not for port 0. */
    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port for the router", e);
        }
    }

    private static <T> T await(Future<T> future) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting the router's HTTP server", e);
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw new IllegalStateException("the router's HTTP server did not start: " + cause.getMessage(), cause);
        }
    }

    /** The port the API listens on (the configured one, or the one picked for port 0); 0 outside router mode. */
    public int port() {
        return port;
    }

    /** One HTTP server on the event loop Vert.x gives this verticle. */
    private static final class ApiVerticle extends AbstractVerticle {

        private final HttpServerOptions options;
        private final Handler<HttpServerRequest> requests;

        ApiVerticle(HttpServerOptions options, Handler<HttpServerRequest> requests) {
            this.options = options;
            this.requests = requests;
        }

        @Override
        public void start(Promise<Void> started) {
            vertx.createHttpServer(options).requestHandler(requests).listen().<Void>mapEmpty().onComplete(started);
        }
    }

    /**
     * Once at startup, because the transport decides the CPU the router spends per request: native epoll (Linux
     * x86-64 with {@code quarkus.vertx.prefer-native-transport}) or Java NIO, which Vert.x falls back to elsewhere.
     */
    private void logTransport() {
        if (vertx.isNativeTransportEnabled()) {
            LOG.info("Router network transport: native epoll");
        } else if (Epoll.isAvailable()) {
            LOG.info("Router network transport: Java NIO (native epoll available but not preferred)");
        } else {
            // Vert.x keeps no cause when it falls back; Netty's says why (other OS or CPU, library not loadable)
            LOG.infof("Router network transport: Java NIO (native epoll unavailable: %s)",
                    Epoll.unavailabilityCause().getMessage());
        }
    }

    /** Reads the table and tokens files now instead of at the next tick; for tests that must not wait. */
    public void reloadChangedFiles() {
        try {
            tables.reloadIfChanged();
            auth.reloadIfChanged();
        } catch (RuntimeException e) {
            LOG.error("Reloading the router's files failed", e);
        }
    }

    /** @return the table source, or null when not in router mode */
    public RoutingTableSource tables() {
        return tables;
    }

    void stop(@Observes ShutdownEvent event) {
        if (watcher != null) {
            watcher.shutdownNow();
        }
        if (capture != null) {
            capture.close();
        }
        if (clients != null) {
            clients.close();
        }
    }

    /** The fallback's key by variable name; a system property of the same name stands in where no env var can be set. */
    private static String secret(String name) {
        String value = System.getenv(name);
        return value != null ? value : System.getProperty(name);
    }
}
