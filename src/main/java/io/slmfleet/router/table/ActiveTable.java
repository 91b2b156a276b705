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
import io.slmfleet.routing.RoutingTable.Delegation;
import io.slmfleet.routing.RoutingTable.Judge;
import io.slmfleet.routing.RoutingTable.Route;
import io.slmfleet.routing.RoutingTable.Target;

/**
 * A routing table compiled for serving: routes by task, parsed endpoints, compiled schemas, the fallback's key. It
 * never changes; a reload builds a new one, and each request keeps the one it started with.
 */
public final class ActiveTable {

    /** A target list is a bit set in {@link ActiveRoute#pick}. */
    static final int MAX_TARGETS_PER_ROUTE = 64;

    /**
     * A route without trusted targets is served by the fallback: there a delegation's candidate weight is its share of
     * the route's live traffic in percent, and the fallback stands in the pick with the rest.
     */
    public static final int WHOLE_ROUTE_PERCENT = 100;

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
        ActiveFallback fallback = null;
        if (table.fallback() != null) {
            fallback = compile(table.fallback(), secrets, warnings);
        }
        Map<String, ActiveRoute> routes = new LinkedHashMap<>();
        for (Route route : table.routes()) {
            if (route.task() == null || route.task().isBlank()) {
                throw new IllegalArgumentException("a route has no task");
            }
            if (routes.containsKey(route.task())) {
                throw new IllegalArgumentException("task " + route.task() + " is routed twice");
            }
            routes.put(route.task(), compile(route, fallback, secrets, warnings));
        }
        return new ActiveTable(table, hash, Collections.unmodifiableMap(routes), fallback, List.copyOf(warnings));
    }

    private static ActiveRoute compile(Route route, ActiveFallback fallback, UnaryOperator<String> secrets,
            List<String> warnings) {
        String where = "task " + route.task() + ": ";
        if (route.timeoutMillis() <= 0) {
            throw new IllegalArgumentException(where + "timeoutMillis must be above 0");
        }
        if (route.retries() < 0) {
            throw new IllegalArgumentException(where + "retries must not be negative");
        }
        Delegation delegation = route.delegation();
        int members = route.targets().size() + (delegation == null ? 0 : 1)
                + (route.targets().isEmpty() && fallback != null ? 1 : 0);
        if (members > MAX_TARGETS_PER_ROUTE) {
            throw new IllegalArgumentException(where + "more than " + MAX_TARGETS_PER_ROUTE + " targets");
        }
        int candidateWeight = delegation == null || delegation.candidate() == null ? 0 : delegation.candidate().weight();
        List<ActiveTarget> targets = new ArrayList<>();
        List<ActiveTarget> trusted = new ArrayList<>();
        for (Target target : route.targets()) {
            if (target.weight() < 0 || (target.weight() == 0 && candidateWeight <= 0)) {
                throw new IllegalArgumentException(where + "target " + target.specialist() + " has weight "
                        + target.weight() + ", not above 0 (0 only while a delegation's candidate serves the route)");
            }
            if (target.weight() == 0) {
                // The candidate serves the route's whole share: the target stays to be compared with, out of the pick.
                trusted.add(compile(target, -1, ActiveTarget.Role.TRUSTED, where));
            } else {
                ActiveTarget member = compile(target, targets.size(), ActiveTarget.Role.TRUSTED, where);
                targets.add(member);
                trusted.add(member);
            }
        }
        ActiveTarget fallbackMember = null;
        if (trusted.isEmpty() && fallback != null) {
            if (candidateWeight > WHOLE_ROUTE_PERCENT) {
                throw new IllegalArgumentException(where + "delegation candidate has weight " + candidateWeight
                        + ": without targets its weight is a percentage of the route, at most " + WHOLE_ROUTE_PERCENT);
            }
            int fallbackWeight = WHOLE_ROUTE_PERCENT - candidateWeight;
            fallbackMember = new ActiveTarget(fallbackWeight > 0 ? targets.size() : -1, ActiveFallback.LABEL,
                    fallback.model(), fallback.upstream(), fallbackWeight, ActiveTarget.Role.FALLBACK);
            if (fallbackWeight > 0) {
                targets.add(fallbackMember);
            }
        }
        ActiveDelegation activeDelegation = null;
        if (delegation != null) {
            activeDelegation = compile(delegation, targets.size(), trusted, fallback, fallbackMember, secrets, where,
                    warnings);
            if (activeDelegation.candidate().weight() > 0) {
                targets.add(activeDelegation.candidate());
            }
        }
        OutputSchema schema = null;
        if (route.responseSchema() != null) {
            try {
                schema = OutputSchema.compile(route.responseSchema());
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(where + "response schema: " + e.getMessage());
            }
        }
        return new ActiveRoute(route.task(), targets, route.timeoutMillis(), route.retries(), schema, activeDelegation);
    }

    private static ActiveTarget compile(Target target, int index, ActiveTarget.Role role, String where) {
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
        return new ActiveTarget(index, label, target.model(), upstream, target.weight(), role);
    }

    private static ActiveDelegation compile(Delegation delegation, int candidateIndex, List<ActiveTarget> trusted,
            ActiveFallback fallback, ActiveTarget fallbackMember, UnaryOperator<String> secrets, String where,
            List<String> warnings) {
        Target candidate = delegation.candidate();
        if (candidate == null) {
            throw new IllegalArgumentException(where + "delegation has no candidate");
        }
        if (candidate.weight() < 0) {
            throw new IllegalArgumentException(where + "delegation candidate " + candidate.specialist() + " has weight "
                    + candidate.weight() + ", below 0");
        }
        ActiveTarget activeCandidate = compile(candidate, candidateIndex, ActiveTarget.Role.CANDIDATE,
                where + "delegation ");
        for (ActiveTarget target : trusted) {
            if (target.label().equals(activeCandidate.label())) {
                throw new IllegalArgumentException(where + "delegation candidate " + activeCandidate.label()
                        + " is also a target of the route: a candidate cannot be compared against itself");
            }
        }
        List<ActiveTarget> contenders = new ArrayList<>();
        Set<String> compared = new LinkedHashSet<>(List.of(activeCandidate.label()));
        for (Target contender : delegation.contenders()) {
            if (contender.weight() != 0) {
                throw new IllegalArgumentException(where + "delegation contender " + contender.specialist()
                        + " has weight " + contender.weight() + ": contenders are only compared, their weight is 0");
            }
            ActiveTarget active = compile(contender, -1, ActiveTarget.Role.CANDIDATE, where + "delegation ");
            if (!compared.add(active.label())) {
                throw new IllegalArgumentException(where + "delegation contender " + active.label() + " is listed twice");
            }
            if (trusted.stream().anyMatch(target -> target.label().equals(active.label()))) {
                throw new IllegalArgumentException(where + "delegation contender " + active.label()
                        + " is also a target of the route: a candidate cannot be compared against itself");
            }
            contenders.add(active);
        }
        if (!(delegation.shadowRate() >= 0 && delegation.shadowRate() <= 1)) {
            throw new IllegalArgumentException(where + "delegation shadowRate " + delegation.shadowRate()
                    + " is not in [0, 1]");
        }
        if (!(delegation.agreementThreshold() >= 0 && delegation.agreementThreshold() <= 1)) {
            throw new IllegalArgumentException(where + "delegation agreementThreshold "
                    + delegation.agreementThreshold() + " is not in [0, 1]");
        }
        List<ActiveTarget> references;
        switch (delegation.reference()) {
            case Delegation.REFERENCE_FALLBACK -> {
                if (fallback == null) {
                    throw new IllegalArgumentException(where + "delegation compares against the fallback, but the "
                            + "table has no fallback");
                }
                // with trusted targets the fallback is not in the pick, so it has no pick index
                references = List.of(fallbackMember != null ? fallbackMember
                        : new ActiveTarget(-1, ActiveFallback.LABEL, fallback.model(), fallback.upstream(),
                                WHOLE_ROUTE_PERCENT, ActiveTarget.Role.FALLBACK));
            }
            case Delegation.REFERENCE_TARGETS -> {
                // without trusted targets the fallback serves the route, so it answers for them
                references = !trusted.isEmpty() ? trusted
                        : fallbackMember != null ? List.of(fallbackMember) : List.of();
                if (references.isEmpty()) {
                    warnings.add(where + "delegation compares against the route's targets, but it has none and "
                            + "there is no fallback: comparisons count reference_error");
                }
            }
            default -> throw new IllegalArgumentException(where + "delegation reference '" + delegation.reference()
                    + "' is neither " + Delegation.REFERENCE_FALLBACK + " nor " + Delegation.REFERENCE_TARGETS);
        }
        ActiveJudge judge = null;
        if (delegation.judge() != null) {
            judge = compile(delegation.judge(), secrets, where, warnings);
        }
        return new ActiveDelegation(activeCandidate, references, delegation.shadowRate(),
                delegation.agreementThreshold(), judge, contenders);
    }

    private static ActiveJudge compile(Judge judge, UnaryOperator<String> secrets, String where, List<String> warnings) {
        Upstream upstream;
        try {
            upstream = Upstream.parse(judge.endpoint());
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException(where + "delegation judge: " + e.getMessage());
        }
        if (judge.model() == null || judge.model().isBlank()) {
            throw new IllegalArgumentException(where + "delegation judge has no model");
        }
        return new ActiveJudge(upstream, judge.model(), authorization(judge.apiKeyEnv(), secrets,
                where + "delegation judge", warnings));
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
        return new ActiveFallback(fallback, upstream, authorization(fallback.apiKeyEnv(), secrets, "fallback", warnings));
    }

    /** @return the Authorization header for the key in the named variable, or null when none is named or set */
    private static String authorization(String keyVariable, UnaryOperator<String> secrets, String who,
            List<String> warnings) {
        if (keyVariable == null) {
            return null;
        }
        String key = secrets.apply(keyVariable);
        if (key == null || key.isBlank()) {
            warnings.add(who + " key variable " + keyVariable + " is not set: requests go without a key");
            return null;
        }
        return "Bearer " + key.strip();
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
