package io.slmfleet.router;

import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

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
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.ext.web.Router;

/**
 * Router mode: puts the OpenAI-compatible routes on Quarkus' HTTP server (port {@link RouterContract#PORT}), loads the
 * routing table and the callers' tokens, and watches both files. In every other mode it does nothing.
 */
@ApplicationScoped
public class RouterServer {

    private static final Logger LOG = Logger.getLogger(RouterServer.class);

    /**
     * Below the keep-alive timeout of common model servers (uvicorn's 5 s), so the router drops an idle connection
     * before the server does, and never sends a request on a connection the server is closing.
     */
    private static final int UPSTREAM_KEEP_ALIVE_SECONDS = 4;

    private final OperatorConfig config;
    private final Vertx vertx;
    private final MeterRegistry registry;

    private RoutingTableSource tables;
    private CallerAuth auth;
    private UpstreamClients clients;
    private UsageCapture capture;
    private ScheduledExecutorService watcher;

    public RouterServer(OperatorConfig config, Vertx vertx, MeterRegistry registry) {
        this.config = config;
        this.vertx = vertx;
        this.registry = registry;
    }

    void registerRoutes(@Observes Router router) {
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

        router.post("/v1/chat/completions").handler(proxy::chatCompletions);
        router.post("/v1/completions").handler(proxy::completions);
        router.get("/v1/models").handler(proxy::models);
        logTransport();
        LOG.infof("Agent router serving /v1 with the routing table %s%s", settings.tableFile(),
                auth.enabled() ? ", callers authenticated" : "");
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
