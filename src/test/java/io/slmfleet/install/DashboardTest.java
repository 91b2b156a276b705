package io.slmfleet.install;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import io.slmfleet.agentroute.EconomicsMetricsAccess;
import io.slmfleet.delegation.figures.PrometheusText;
import io.slmfleet.router.RouterMetrics;
import io.slmfleet.router.shadow.Verdict;
import io.slmfleet.routing.RoutingTable.FallbackReason;

/**
 * The chart's Grafana dashboard: shipped only when asked for, with the sidecar's label, and every query names metrics
 * the code exports, with labels they have. What is exported is not a hand-kept list: the router's and the operator's
 * metric classes record into a Prometheus registry here, and its exposition is what the queries are checked against.
 */
class DashboardTest {

    /** Labels Prometheus adds when it scrapes a pod, not the code. */
    static final Set<String> SCRAPE_LABELS = Set.of("namespace", "pod", "job", "instance", "container", "service");
    static final Pattern METRIC = Pattern.compile("\\bslmfleet_[a-z_]+\\b");
    static final Pattern MATCHER_LABEL = Pattern.compile("([a-z_]+)\\s*(=~|!~|!=|=)\\s*\"");
    static final Pattern GROUPING = Pattern.compile("\\b(?:by|ignoring|on)\\s*\\(([^)]*)\\)");

    @Test
    void isAConfigMapForTheGrafanaSidecarOnlyWhenEnabled() {
        assertThat(dashboards(HelmChart.parse(HelmChart.templateYaml("")))).isEmpty();

        List<ConfigMap> shipped = dashboards(HelmChart.parse(HelmChart.templateYaml("dashboards: {enabled: true}")));
        assertThat(shipped).singleElement().satisfies(configMap -> {
            assertThat(configMap.getMetadata().getLabels()).containsEntry("grafana_dashboard", "1");
            assertThat(configMap.getData()).containsKey("slm-fleet.json");
        });
    }

    @Test
    void everyQueryNamesAMetricTheCodeExportsWithLabelsItHas() throws Exception {
        Map<String, Set<String>> exported = exported();
        JsonNode dashboard = new ObjectMapper().readTree(dashboards(HelmChart.parse(
                HelmChart.templateYaml("dashboards: {enabled: true}"))).get(0).getData().get("slm-fleet.json"));
        List<String> queries = new ArrayList<>();
        dashboard.path("panels").forEach(panel -> panel.path("targets").forEach(target -> queries.add(target.path("expr").asText())));
        assertThat(queries).as("the dashboard's queries").hasSizeGreaterThanOrEqualTo(9);

        for (String query : queries) {
            Matcher metrics = METRIC.matcher(query);
            Set<String> labelsOfMetrics = new HashSet<>(SCRAPE_LABELS);
            List<String> names = new ArrayList<>();
            while (metrics.find()) {
                names.add(metrics.group());
            }
            assertThat(names).as("metrics of %s", query).isNotEmpty();
            for (String name : names) {
                assertThat(exported).as("query %s names %s", query, name).containsKey(name);
                labelsOfMetrics.addAll(exported.get(name));
            }
            for (String label : labelsUsed(query)) {
                assertThat(labelsOfMetrics).as("label %s of query %s", label, query).contains(label);
            }
        }
    }

    private static Set<String> labelsUsed(String query) {
        Set<String> labels = new HashSet<>();
        Matcher matchers = MATCHER_LABEL.matcher(query);
        while (matchers.find()) {
            labels.add(matchers.group(1));
        }
        Matcher groupings = GROUPING.matcher(query);
        while (groupings.find()) {
            for (String label : groupings.group(1).split(",")) {
                if (!label.isBlank()) {
                    labels.add(label.trim());
                }
            }
        }
        return labels;
    }

    /** Metric name → label names, as the code's metric classes export them when they record. */
    private static Map<String, Set<String>> exported() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        RouterMetrics router = new RouterMetrics(registry);
        router.request("parsing", "invoice-parser/invoice-v3", RouterMetrics.Outcome.ok, 1_000_000);
        router.attempt("parsing", "invoice-parser/invoice-v3", "ok");
        router.fallback("parsing", FallbackReason.error);
        router.tokens("parsing", "invoice-parser/invoice-v3", 100, 20);
        router.compared("parsing", "invoice-parser/invoice-v4", Verdict.agree, 0.95);
        router.shadowCall("parsing", "invoice-parser/invoice-v4", "ok", 1_000_000);
        router.shadowTokens("parsing", "fallback", 100, 20);
        router.tableReload(true);
        EconomicsMetricsAccess.recordSample(registry);
        Map<String, Set<String>> exported = new HashMap<>();
        for (PrometheusText.Sample sample : PrometheusText.parse(registry.scrape())) {
            exported.computeIfAbsent(sample.name(), name -> new HashSet<>()).addAll(sample.labels().keySet());
        }
        return exported;
    }

    private static List<ConfigMap> dashboards(List<HasMetadata> objects) {
        return objects.stream().filter(ConfigMap.class::isInstance).map(ConfigMap.class::cast)
                .filter(configMap -> configMap.getMetadata().getName().endsWith("-dashboard")).toList();
    }
}
