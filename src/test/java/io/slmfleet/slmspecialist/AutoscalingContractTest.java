package io.slmfleet.slmspecialist;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import io.slmfleet.api.v1alpha1.SLMSpecialist;
import io.slmfleet.render.Manifests;

/**
 * The upstream names the autoscaling engines rely on, pinned so that a NIM or KEDA upgrade re-opens them.
 * <ul>
 * <li>"Observability for NVIDIA NIM for LLMs" (https://docs.nvidia.com/nim/large-language-models/latest/observability.html):
 * Prometheus metrics at http://localhost:8000/v1/metrics; gpu_cache_usage_perc ("GPU KV-cache usage. 1 means 100
 * percent usage"), num_requests_running, num_requests_waiting, num_request_max, prompt_tokens_total,
 * generation_tokens_total, and the histograms time_to_first_token_seconds, time_per_output_token_seconds and
 * e2e_request_latency_seconds.
 * <li>KEDA 2.15 "ScaledObject specification" (https://keda.sh/docs/2.15/reference/scaledobject-spec/):
 * keda.sh/v1alpha1 ScaledObject; spec.scaleTargetRef (apiVersion, kind, name), pollingInterval, cooldownPeriod (the
 * wait after the last active trigger before scaling to zero, default 300 s), minReplicaCount (default 0),
 * maxReplicaCount, advanced.horizontalPodAutoscalerConfig.behavior, triggers[].type and triggers[].metadata.
 * <li>KEDA 2.15 Prometheus scaler (https://keda.sh/docs/2.15/scalers/prometheus/): metadata serverAddress, query (a
 * single-element vector or scalar), threshold, activationThreshold, ignoreNullValues (false: the scaler returns an
 * error when the Prometheus target is lost, instead of an empty value), all strings.
 * </ul>
 */
class AutoscalingContractTest {

    private static final Set<String> NIM_METRICS = Set.of("gpu_cache_usage_perc", "num_requests_running",
            "num_requests_waiting", "num_request_max", "prompt_tokens_total", "generation_tokens_total",
            "time_to_first_token_seconds", "time_per_output_token_seconds", "e2e_request_latency_seconds");
    private static final Set<String> SCALED_OBJECT_SPEC = Set.of("scaleTargetRef", "pollingInterval", "cooldownPeriod",
            "initialCooldownPeriod", "idleReplicaCount", "minReplicaCount", "maxReplicaCount", "fallback", "advanced",
            "triggers");
    private static final Set<String> PROMETHEUS_METADATA = Set.of("serverAddress", "query", "queryParameters", "threshold",
            "activationThreshold", "namespace", "customHeaders", "ignoreNullValues", "unsafeSsl");

    /** A PromQL metric name in a query: an identifier followed by a label matcher. */
    private static final Pattern METRIC_IN_QUERY = Pattern.compile("([a-z_][a-z0-9_]*)\\{");

    @Test
    void nimServesItsMetricsOnTheApiPortUnderV1Metrics() {
        assertThat(Nim.PORT).isEqualTo(8000);
        assertThat(NimMetrics.PATH).isEqualTo("/v1/metrics");
    }

    @Test
    void theSignalsAreNimsDocumentedMetrics() {
        assertThat(NIM_METRICS).contains(NimMetrics.REQUESTS_WAITING, NimMetrics.GPU_CACHE_USAGE);
    }

    @Test
    void theScaledObjectUsesOnlyKedasDocumentedFieldsAndNimsMetrics() throws IOException {
        Map<String, Object> spec = scaledObjectSpec("requests-waiting-hpa");

        assertThat(SCALED_OBJECT_SPEC).containsAll(spec.keySet());
        assertThat(map(spec.get("scaleTargetRef"))).containsOnlyKeys("apiVersion", "kind", "name");
        assertThat(map(spec.get("advanced"))).containsOnlyKeys("horizontalPodAutoscalerConfig");
        assertThat(map(map(spec.get("advanced")).get("horizontalPodAutoscalerConfig"))).containsOnlyKeys("behavior");
        for (Object entry : (List<?>) spec.get("triggers")) {
            Map<String, Object> trigger = map(entry);
            assertThat(trigger).containsOnlyKeys("type", "metadata").containsEntry("type", "prometheus");
            Map<String, Object> metadata = map(trigger.get("metadata"));
            assertThat(PROMETHEUS_METADATA).containsAll(metadata.keySet());
            assertThat(metadata.values()).as("KEDA's trigger metadata is a map of strings").allMatch(String.class::isInstance);
            assertThat(metadata).containsEntry("ignoreNullValues", "false");
            Matcher metrics = METRIC_IN_QUERY.matcher((String) metadata.get("query"));
            while (metrics.find()) {
                assertThat(NIM_METRICS).as("metric %s of query %s", metrics.group(1), metadata.get("query"))
                        .contains(metrics.group(1).replaceAll("_count$", ""));
            }
        }
    }

    private static Map<String, Object> scaledObjectSpec(String input) throws IOException {
        SLMSpecialist specialist = Manifests.ofKind(Manifests.parse(
                Files.readString(Path.of("src/test/resources/slmspecialist/" + input + ".yaml"))), SLMSpecialist.class).get(0);
        Optional<AutoscalingPlan> plan = AutoscalingPlan.of(specialist.getSpec().autoscaling,
                new AutoscalingPlan.Cluster(true, Optional.of("http://prometheus.monitoring.svc:9090")));
        return map(KedaScaledObject.desired(specialist, plan).orElseThrow().getAdditionalProperties().get("spec"));
    }

    private static Map<String, Object> map(Object value) {
        return ((Map<?, ?>) value).entrySet().stream()
                .collect(Collectors.toMap(e -> (String) e.getKey(), e -> (Object) e.getValue()));
    }
}
