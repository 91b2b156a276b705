package io.slmfleet.agentroute;

import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.slmfleet.api.v1alpha1.AgentRoute;
import io.slmfleet.config.OperatorConfig;
import io.slmfleet.delegation.figures.CounterAccumulator;
import io.slmfleet.delegation.figures.CounterAccumulator.Series;
import io.slmfleet.delegation.figures.RouterPodFigures;
import io.slmfleet.delegation.figures.RouterPodFigures.RouterPod;
import io.slmfleet.economics.RouterTraffic;
import io.slmfleet.economics.SlidingIncrements;

/**
 * An AgentRoute's traffic over the economics window, from its ready router pods' own counters (requests, shadow calls
 * and their tokens by route and target): the increments of each pod summed through restarts ({@link CounterAccumulator}) over the last
 * window ({@link SlidingIncrements}). One for the operator: it keeps the sums between reconciles.
 */
@ApplicationScoped
public class RouteTrafficReader {

    /** The series economics reads: answers and their tokens, shadow (and judge) calls and theirs. */
    private static final Set<String> READ = RouterTraffic.SERIES;

    private final BiFunction<AgentRoute, Instant, Optional<SlidingIncrements.Increments>> reads;

    @Inject
    public RouteTrafficReader(KubernetesClient client, OperatorConfig config) {
        Duration timeout = config.delegation().metricsTimeout();
        HttpClient http = HttpClient.newBuilder().connectTimeout(timeout).build();
        Map<String, CounterAccumulator> accumulators = new ConcurrentHashMap<>();
        Map<String, SlidingIncrements> windows = new ConcurrentHashMap<>();
        Duration window = config.economics().window();
        Function<AgentRoute, Optional<Map<Series, Double>>> totals = route -> {
            List<RouterPod> pods = RouterPods.ready(client, route.getMetadata().getNamespace(), route.getMetadata().getName());
            if (pods.isEmpty()) {
                return Optional.empty();
            }
            CounterAccumulator accumulator = accumulators.computeIfAbsent(key(route), k -> new CounterAccumulator());
            for (RouterPod pod : pods) {
                Optional<Map<Series, Double>> counters = RouterPodFigures.scrape(http, timeout, pod, READ);
                if (counters.isEmpty()) {
                    return Optional.empty(); // a pod's increments would be missing: the figures are unknown, not smaller
                }
                accumulator.observe(pod.name(), counters.get());
            }
            accumulator.retainPods(pods.stream().map(RouterPod::name).collect(Collectors.toSet()));
            return Optional.of(accumulator.totals());
        };
        this.reads = (route, now) -> totals.apply(route)
                .map(read -> windows.computeIfAbsent(key(route), k -> new SlidingIncrements(window)).read(now, read));
    }

    /** @param reads an AgentRoute's increments over the window ending at the given time; empty when unreadable */
    public RouteTrafficReader(BiFunction<AgentRoute, Instant, Optional<SlidingIncrements.Increments>> reads) {
        this.reads = reads;
    }

    /** The increments over the window ending now; empty when the router's counters cannot be read. */
    public Optional<SlidingIncrements.Increments> read(AgentRoute route, Instant now) {
        return reads.apply(route, now);
    }

    private static String key(AgentRoute route) {
        return route.getMetadata().getNamespace() + "/" + route.getMetadata().getName();
    }
}
