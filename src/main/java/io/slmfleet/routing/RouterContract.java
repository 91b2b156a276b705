package io.slmfleet.routing;

/**
 * What the router workload the operator builds and the router process agree on: paths, port and variable names.
 * Both sides read these constants, so neither can drift from the other.
 */
public final class RouterContract {

    /** The router's HTTP port (Quarkus' HTTP server in router mode). */
    public static final int PORT = 8080;

    /** Directory the routing-table ConfigMap is mounted at, as a whole directory so kubelet refreshes it in place. */
    public static final String TABLE_DIRECTORY = "/etc/slmfleet/routing";

    /** The routing table file inside {@link #TABLE_DIRECTORY}. */
    public static final String TABLE_FILE = TABLE_DIRECTORY + "/" + RoutingTableCodec.FILE_NAME;

    /** Environment variable holding the fallback LLM's API key (from the referenced Secret). */
    public static final String FALLBACK_API_KEY_ENV = "SLMFLEET_FALLBACK_API_KEY";

    /** The environment variable holding the judge's API key of the AgentRoute's route at {@code routeIndex}. */
    public static String judgeApiKeyEnv(int routeIndex) {
        return "SLMFLEET_JUDGE_API_KEY_" + routeIndex;
    }

    /** Directory the callers' bearer tokens Secret is mounted at; one token per line in {@link #AUTH_TOKENS_FILE}. */
    public static final String AUTH_DIRECTORY = "/etc/slmfleet/auth";

    public static final String AUTH_TOKENS_FILE = AUTH_DIRECTORY + "/tokens";

    /**
     * Environment variable the router Deployment sets to {@link #AUTH_TOKENS_FILE} when callers must authenticate
     * (slmfleet.router.auth-tokens-file); unset, the router accepts every caller.
     */
    public static final String AUTH_TOKENS_FILE_ENV = "SLMFLEET_ROUTER_AUTH_TOKENS_FILE";

    /** Directory usage records are written to (the usage-capture claim's path). */
    public static final String USAGE_DIRECTORY = "/var/lib/slmfleet/usage";

    /** Readiness of the router: up once a valid routing table is loaded. */
    public static final String READINESS_PATH = "/q/health/ready";

    public static final String LIVENESS_PATH = "/q/health/live";
    /** The router's Prometheus metrics (the operator reads a delegation's figures here). */
    public static final String METRICS_PATH = "/q/metrics";

    /** Request header naming the task; the alternative is the model alias task/&lt;task&gt;. */
    public static final String TASK_HEADER = "x-agent-task";

    public static final String ROUTE_HEADER = "x-slmfleet-route";
    public static final String TARGET_HEADER = "x-slmfleet-target";
    public static final String FALLBACK_HEADER = "x-slmfleet-fallback";

    private RouterContract() {
    }
}
