package io.slmfleet.install;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.quarkiverse.operatorsdk.runtime.RunTimeOperatorConfiguration;
import io.quarkus.runtime.configuration.DurationConverter;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.runtime.configuration.MemorySizeConverter;
import io.slmfleet.config.OperatorConfig;
import io.slmfleet.install.HelmChart.Rendered;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

/**
 * The environment the chart gives the operator container, read the way the operator reads it (SmallRye Config
 * mappings of OperatorConfig and of quarkus-operator-sdk's runtime configuration): the names bind and the values agree
 * with the rest of the chart (leader election Lease and its Role, watched namespaces, router image).
 */
class HelmOperatorConfigTest {

    @Test
    void singleReplicaRunsWithoutLeaderElectionAndIsReplacedNotRolled() {
        Rendered rendered = HelmChart.render("");
        OperatorConfig config = operatorConfig(rendered);

        assertThat(config.leaderElection().enabled()).isFalse();
        assertThat(rendered.all(Role.class)).isEmpty();
        assertThat(deployment(rendered).getSpec().getStrategy().getType()).isEqualTo("Recreate");
    }

    @Test
    void twoReplicasCompeteForTheLeaseTheirRoleAllows() {
        Rendered rendered = HelmChart.render(HelmChartTest.TWO_REPLICAS);
        OperatorConfig config = operatorConfig(rendered);
        Role leaseRole = rendered.one(Role.class, "slm-fleet-leader-election");

        assertThat(config.leaderElection().enabled()).isTrue();
        assertThat(config.leaderElection().leaseNamespace()).contains(HelmChart.NAMESPACE);
        assertThat(leaseRole.getMetadata().getNamespace()).isEqualTo(HelmChart.NAMESPACE);
        assertThat(Grant.expand(leaseRole.getRules()))
                .isEqualTo(RequiredAccess.leaderElection(config.leaderElection().leaseName()));
        assertThat(deployment(rendered).getSpec().getStrategy().getType()).isEqualTo("RollingUpdate");
    }

    @Test
    void leaderElectionCanBeForcedForASingleReplica() {
        Rendered rendered = HelmChart.render("leaderElection: {mode: always}");

        assertThat(operatorConfig(rendered).leaderElection().enabled()).isTrue();
        assertThat(rendered.all(Role.class)).extracting(role -> role.getMetadata().getName())
                .containsExactly("slm-fleet-leader-election");
    }

    @Test
    void routerImageIsTheOperatorImage() {
        Rendered rendered = HelmChart.render("image: {repository: registry.example.com/slm-fleet, tag: 0.1.1}");

        assertThat(operatorConfig(rendered).image()).isEqualTo("registry.example.com/slm-fleet:0.1.1")
                .isEqualTo(container(rendered).getImage());
    }

    @Test
    void watchedNamespacesReachTheOperatorSdk() {
        assertThat(sdkConfig(HelmChart.render(HelmChartTest.NAMESPACED)).namespaces())
                .hasValueSatisfying(namespaces -> assertThat(namespaces).containsExactly("team-a", "team-b"));
        assertThat(sdkConfig(HelmChart.render("")).namespaces())
                .hasValueSatisfying(namespaces -> assertThat(namespaces).containsExactly("JOSDK_ALL_NAMESPACES"));
    }

    @Test
    void reconcilerPoolSizeReachesTheOperatorSdk() {
        // the default: sized to what the API server answers in parallel, not java-operator-sdk's 50 (docs/e2e.md)
        assertThat(sdkConfig(HelmChart.render("")).concurrentReconciliationThreads()).contains(10);
        assertThat(sdkConfig(HelmChart.render("reconcilerThreads: 4")).concurrentReconciliationThreads()).contains(4);
    }

    @Test
    void economicsPricesReachTheOperatorKeyedAsTheyAreWritten() {
        Rendered rendered = HelmChart.render("""
                economics:
                  window: 30m
                  gpuPricePerHour: {NVIDIA-L4: 0.8, NVIDIA-H100-80GB-HBM3: 2.5}
                  migPricePerHour: {1g.10gb: 0.45}
                """);
        OperatorConfig.Economics economics = operatorConfig(rendered).economics();

        assertThat(economics.window()).isEqualTo(Duration.ofMinutes(30));
        // values.yaml's A100 price stays; the H100's is overridden
        assertThat(economics.gpuPricePerHour()).containsExactlyInAnyOrderEntriesOf(
                Map.of("NVIDIA-L4", 0.8, "NVIDIA-H100-80GB-HBM3", 2.5, "NVIDIA-A100-SXM4-80GB", 2.0));
        assertThat(economics.migPricePerHour()).containsExactlyEntriesOf(Map.of("1g.10gb", 0.45));
    }

    @Test
    void defaultEconomicsAreAnHourWithListPricesForWholeGpusOnly() {
        OperatorConfig.Economics economics = operatorConfig(HelmChart.render("")).economics();

        assertThat(economics.window()).isEqualTo(Duration.ofHours(1));
        assertThat(economics.gpuPricePerHour()).containsOnlyKeys("NVIDIA-A100-SXM4-80GB", "NVIDIA-H100-80GB-HBM3");
        assertThat(economics.migPricePerHour()).isEmpty();
    }

    @Test
    void thePrometheusOfKedasTriggersAndTheDiscoveryIntervalReachTheOperator() {
        OperatorConfig.Autoscaling autoscaling = operatorConfig(HelmChart.render("""
                autoscaling:
                  prometheusAddress: http://prometheus-operated.monitoring.svc:9090
                  discoveryInterval: 30s
                """)).autoscaling();

        assertThat(autoscaling.prometheusAddress()).contains("http://prometheus-operated.monitoring.svc:9090");
        assertThat(autoscaling.discoveryInterval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(operatorConfig(HelmChart.render("")).autoscaling().prometheusAddress())
                .as("no Prometheus guessed: KEDA is used only with one named").isEmpty();
    }

    private static OperatorConfig operatorConfig(Rendered rendered) {
        return config(rendered, OperatorConfig.class).getConfigMapping(OperatorConfig.class);
    }

    private static RunTimeOperatorConfiguration sdkConfig(Rendered rendered) {
        return config(rendered, RunTimeOperatorConfiguration.class).getConfigMapping(RunTimeOperatorConfiguration.class);
    }

    private static SmallRyeConfig config(Rendered rendered, Class<?> mapping) {
        return new SmallRyeConfigBuilder()
                .withMapping(mapping)
                // Quarkus' own duration syntax (60m, 2M), as at runtime
                .withConverter(Duration.class, 200, new DurationConverter())
                .withConverter(MemorySize.class, 200, new MemorySizeConverter())
                .withSources(new EnvConfigSource(environment(container(rendered)), 300))
                .withSources(settingsFile(rendered))
                .build();
    }

    /**
     * The properties file QUARKUS_CONFIG_LOCATIONS names, as the pod sees it: a key of the ConfigMap mounted there (at
     * the ordinal Quarkus gives a config location's properties file).
     */
    private static PropertiesConfigSource settingsFile(Rendered rendered) {
        Container container = container(rendered);
        Path location = Path.of(environment(container).get("QUARKUS_CONFIG_LOCATIONS"));
        VolumeMount mount = container.getVolumeMounts().stream()
                .filter(candidate -> location.startsWith(candidate.getMountPath())).findFirst().orElseThrow();
        String configMapName = deployment(rendered).getSpec().getTemplate().getSpec().getVolumes().stream()
                .filter(volume -> volume.getName().equals(mount.getName())).findFirst().orElseThrow()
                .getConfigMap().getName();
        String contents = rendered.one(ConfigMap.class, configMapName).getData()
                .get(Path.of(mount.getMountPath()).relativize(location).toString());
        Properties properties = new Properties();
        try {
            properties.load(new StringReader(contents));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> settings = new LinkedHashMap<>();
        properties.forEach((name, value) -> settings.put((String) name, (String) value));
        return new PropertiesConfigSource(settings, location.toString(), 250);
    }

    /** The container's environment as the kubelet sets it (the downward API resolved for a pod in the release). */
    private static Map<String, String> environment(Container container) {
        Map<String, String> environment = new LinkedHashMap<>();
        for (EnvVar variable : container.getEnv()) {
            if (variable.getValueFrom() == null) {
                environment.put(variable.getName(), variable.getValue());
            } else {
                assertThat(variable.getValueFrom().getFieldRef().getFieldPath()).as(variable.getName())
                        .isEqualTo("metadata.namespace");
                environment.put(variable.getName(), HelmChart.NAMESPACE);
            }
        }
        return environment;
    }

    private static Deployment deployment(Rendered rendered) {
        return rendered.one(Deployment.class, "slm-fleet");
    }

    private static Container container(Rendered rendered) {
        return deployment(rendered).getSpec().getTemplate().getSpec().getContainers().get(0);
    }
}
