package io.slmfleet.router.table;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

import io.slmfleet.routing.RoutingTable;
import io.slmfleet.routing.RoutingTable.Route;
import io.slmfleet.routing.RoutingTable.Target;

/**
 * A routing table compiled for serving: routes by task, parsed endpoints, compiled schemas, the fallback's key. It
 * never changes; a reload builds a new one, and each request keeps the one it started with.
 */
public final class ActiveTable {

    /** A target list is a bit set in {@link ActiveRoute#pick}. */
    static final int MAX_TARGETS_PER_ROUTE = 64;

    private final RoutingTable source;
    private final String hash;
    private final Map<String, ActiveRoute> routes;
    private final ActiveFallback fallback;
    private final List<String> warnings;

    private ActiveTable(RoutingTable source, String hash, Map<String, ActiveRoute> routes, ActiveFallback fallback,
            List<String> warnings) {
        this.source = source;
        this.hash = hash;
        this.routes = routes;
        this.fallback = fallback;
        this.warnings = warnings;
    }

    /**
     * @param hash the file content's hash, reported by readiness and logs
     * @param secrets the value of an environment variable by name, or null when unset
     * @throws IllegalArgumentException when the table cannot be served: the last good table stays in place
     */
    public static ActiveTable compile(RoutingTable table, String hash, UnaryOperator<String> secrets) {
        List<String> warnings = new ArrayList<>();
        Map<String, ActiveRoute> routes = new LinkedHashMap<>();
        for (Route route : table.routes()) {
            if (route.task() == null || route.task().isBlank()) {
                throw new IllegalArgumentException("a route has no task");
            }
            if (routes.containsKey(route.task())) {
                throw new IllegalArgumentException("task " + route.task() + " is routed twice");
            }
            routes.put(route.task(), compile(route));
        }
        ActiveFallback fallback = null;
        if (table.fallback() != null) {
            fallback = compile(table.fallback(), secrets, warnings);
        }
        return new ActiveTable(table, hash, Collections.unmodifiableMap(routes), fallback, List.copyOf(warnings));
    }

    private static ActiveRoute compile(Route route) {
        String where = "task " + route.task() + ": ";
        if (route.timeoutMillis() <= 0) {
            throw new IllegalArgumentException(where + "timeoutMillis must be above 0");
        }
        if (route.retries() < 0) {
            throw new IllegalArgumentException(where + "retries must not be negative");
        }
        if (route.targets().size() > MAX_TARGETS_PER_ROUTE) {
            throw new IllegalArgumentException(where + "more than " + MAX_TARGETS_PER_ROUTE + " targets");
        }
        List<ActiveTarget> targets = new ArrayList<>();
        for (Target target : route.targets()) {
            if (target.weight() <= 0) {
                throw new IllegalArgumentException(where + "target " + target.specialist() + " has weight "
                        + target.weight() + ", not above 0");
            }
            if (target.model() == null || target.model().isBlank()) {
                throw new IllegalArgumentException(where + "target " + target.specialist() + " has no model");
            }
            String label = target.adapter() == null ? target.specialist() : target.specialist() + "/" + target.adapter();
            Upstream upstream;
            try {
                upstream = Upstream.parse(target.endpoint());
            } catch (IllegalArgumentException | NullPointerException e) {
                throw new IllegalArgumentException(where + "target " + label + ": " + e.getMessage());
            }
            targets.add(new ActiveTarget(targets.size(), label, target.model(), upstream, target.weight()));
        }
        OutputSchema schema = null;
        if (route.responseSchema() != null) {
            try {
                schema = OutputSchema.compile(route.responseSchema());
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(where + "response schema: " + e.getMessage());
            }
        }
        return new ActiveRoute(route.task(), targets, route.timeoutMillis(), route.retries(), schema);
    }

    private static ActiveFallback compile(RoutingTable.Fallback fallback, UnaryOperator<String> secrets,
            List<String> warnings) {
        Upstream upstream;
        try {
            upstream = Upstream.parse(fallback.endpoint());
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("fallback: " + e.getMessage());
        }
        if (fallback.model() == null || fallback.model().isBlank()) {
            throw new IllegalArgumentException("fallback has no model");
        }
        String authorization = null;
        if (fallback.apiKeyEnv() != null) {
            String key = secrets.apply(fallback.apiKeyEnv());
            if (key == null || key.isBlank()) {
                warnings.add("fallback key variable " + fallback.apiKeyEnv() + " is not set: requests go without a key");
            } else {
                authorization = "Bearer " + key.strip();
            }
        }
        return new ActiveFallback(fallback, upstream, authorization);
    }

    public RoutingTable source() {
        return source;
    }

    public String hash() {
        return hash;
    }

    /** @return null when the table has no route for the task */
    public ActiveRoute route(String task) {
        return task == null ? null : routes.get(task);
    }

    public Map<String, ActiveRoute> routes() {
        return routes;
    }

    /** @return null when the table has no fallback */
    public ActiveFallback fallback() {
        return fallback;
    }

    public RoutingTable.UsageCapture usageCapture() {
        return source.usageCapture() == null ? RoutingTable.UsageCapture.DISABLED : source.usageCapture();
    }

    /** Served models each task reaches, in table order; the fallback's model last. */
    public Set<String> servedModels() {
        Set<String> models = new LinkedHashSet<>();
        routes.values().forEach(route -> route.targets().forEach(target -> models.add(target.model())));
        if (fallback != null) {
            models.add(fallback.model());
        }
        return models;
    }

    /** Things that do not stop the table from serving but that an operator should see. */
    public List<String> warnings() {
        return warnings;
    }
}
