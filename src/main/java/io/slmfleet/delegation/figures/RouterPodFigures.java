package io.slmfleet.delegation.figures;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import io.slmfleet.delegation.Candidate;
import io.slmfleet.delegation.StepFigures;

/**
 * Figures read from the router pods themselves: every ready pod's /q/metrics, their counter increments summed
 * (surviving restarts, see {@link CounterAccumulator}), minus the sums when the window started.
 * <p>
 * The sums live in this object, so it must outlive reconciles (one per operator). When it first sees a window (a new
 * step, or the operator restarted mid-step) it takes the sums at that read as the window's start: the window then counts
 * from there, never anything from before it.
 */
public final class RouterPodFigures implements FiguresSource {

    /** A router pod the operator may read. */
    public record RouterPod(String name, URI metricsUrl) {
    }

    /** The router pods that pass their readiness probe (the reconciler's informer cache knows them). */
    @FunctionalInterface
    public interface ReadyPods {
        List<RouterPod> of(String namespace, String agentRoute);
    }

    private record RouteKey(String namespace, String agentRoute) {
    }

    /**
     * A route's sums are forgotten once nobody read them for this long: its AgentRoute was deleted or stopped
     * delegating. A delegation that looks again later counts from that read, as after an operator restart.
     */
    static final Duration FORGET_AFTER = Duration.ofHours(1);

    private record WindowKey(String namespace, String agentRoute, String task) {
    }

    private record WindowStart(Candidate candidate, Instant start, Map<CounterAccumulator.Series, Double> totals) {
    }

    /** The series a delegation reads; the others of the page are not kept. */
    private static final Set<String> READ = Set.of(RouterFigures.COMPARISONS, RouterFigures.ATTEMPTS, RouterFigures.SHADOW_CALLS,
            RouterFigures.REQUEST_BUCKETS);

    private final ReadyPods readyPods;
    private final HttpClient http;
    private final Duration timeout;
    private final Map<RouteKey, CounterAccumulator> accumulators = new ConcurrentHashMap<>();
    private final Map<WindowKey, WindowStart> windows = new ConcurrentHashMap<>();
    private final Map<RouteKey, Instant> lastRead = new ConcurrentHashMap<>();

    public RouterPodFigures(ReadyPods readyPods, HttpClient http, Duration timeout) {
        this.readyPods = readyPods;
        this.http = http;
        this.timeout = timeout;
    }

    @Override
    public Optional<StepFigures> read(FiguresWindow window) {
        forgetIdle(window.now());
        lastRead.put(new RouteKey(window.namespace(), window.agentRoute()), window.now());
        List<RouterPod> pods = readyPods.of(window.namespace(), window.agentRoute());
        if (pods.isEmpty()) {
            return Optional.empty();
        }
        CounterAccumulator accumulator = accumulators.computeIfAbsent(new RouteKey(window.namespace(), window.agentRoute()),
                key -> new CounterAccumulator());
        boolean everyPodRead = true;
        for (RouterPod pod : pods) {
            Optional<Map<CounterAccumulator.Series, Double>> counters = scrape(http, timeout, pod, READ);
            if (counters.isPresent()) {
                accumulator.observe(pod.name(), counters.get());
            } else {
                // its increments are caught up at its next read; until then the sums would miss them
                everyPodRead = false;
            }
        }
        accumulator.retainPods(pods.stream().map(RouterPod::name).collect(Collectors.toSet()));
        if (!everyPodRead) {
            return Optional.empty();
        }
        Map<CounterAccumulator.Series, Double> totals = accumulator.totals();
        WindowStart start = windows.compute(new WindowKey(window.namespace(), window.agentRoute(), window.task()),
                (key, known) -> known != null && known.candidate().equals(window.candidate()) && known.start().equals(window.start())
                        ? known : new WindowStart(window.candidate(), window.start(), totals));
        return Optional.of(RouterFigures.of(increments(start.totals(), totals), window.task(), window.candidate().label()));
    }

    /** Forgets the windows and sums of AgentRoutes nobody read for {@link #FORGET_AFTER}. */
    private void forgetIdle(Instant now) {
        lastRead.entrySet().removeIf(entry -> {
            if (entry.getValue().plus(FORGET_AFTER).isAfter(now)) {
                return false;
            }
            RouteKey route = entry.getKey();
            accumulators.remove(route);
            windows.keySet().removeIf(key -> key.namespace().equals(route.namespace())
                    && key.agentRoute().equals(route.agentRoute()));
            return true;
        });
    }

    /**
     * The pod's counters of the named series (the operator's readers each keep their own); empty when it does not
     * answer 200 with a page that parses.
     */
    public static Optional<Map<CounterAccumulator.Series, Double>> scrape(HttpClient http, Duration timeout, RouterPod pod,
            Set<String> names) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(pod.metricsUrl()).timeout(timeout).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? Optional.of(counters(response.body(), names)) : Optional.empty();
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private static Map<CounterAccumulator.Series, Double> counters(String exposition, Set<String> names) {
        Map<CounterAccumulator.Series, Double> counters = new HashMap<>();
        for (PrometheusText.Sample sample : PrometheusText.parse(exposition)) {
            if (names.contains(sample.name())) {
                counters.put(new CounterAccumulator.Series(sample.name(), sample.labels()), sample.value());
            }
        }
        return counters;
    }

    private static Map<CounterAccumulator.Series, Double> increments(Map<CounterAccumulator.Series, Double> start,
            Map<CounterAccumulator.Series, Double> now) {
        Map<CounterAccumulator.Series, Double> increments = new HashMap<>();
        now.forEach((series, total) -> increments.put(series, total - start.getOrDefault(series, 0.0)));
        return increments;
    }
}
