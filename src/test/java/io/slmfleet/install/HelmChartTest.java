package io.slmfleet.install;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.marcnuri.helm.LintResult;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.slmfleet.install.HelmChart.Rendered;

/** The chart rendered by real Helm: the objects, the restricted pods, the operator's wiring. */
class HelmChartTest {

    static final String NAMESPACED = "watch: {mode: namespaces, namespaces: [team-a, team-b]}";
    static final String TWO_REPLICAS = "replicaCount: 2";
    static final String EVERYTHING_ON = """
            replicaCount: 3
            watch: {mode: namespaces, namespaces: [team-a]}
            metrics: {serviceMonitor: {enabled: true, labels: {release: prometheus}}}
            extraEnv: [{name: SLMFLEET_NIM_STARTUP_BUDGET, value: 90m}]
            podLabels: {team: platform}
            podAnnotations: {example.com/owner: platform}
            imagePullSecrets: [{name: registry}]
            priorityClassName: system-cluster-critical
            nodeSelector: {kubernetes.io/os: linux}
            tolerations: [{key: dedicated, operator: Equal, value: ops, effect: NoSchedule}]
            """;

    /** A uid as an object: null (the image's user, 185) is fine, 0 is not. */
    private static final Object ROOT = 0L;

    static Stream<String> valueSets() {
        return Stream.of("", NAMESPACED, TWO_REPLICAS, EVERYTHING_ON);
    }

    @Test
    void lintPassesInStrictMode() {
        LintResult lint = HelmChart.lint();

        assertThat(lint.isFailed()).as("%s", lint.getMessages()).isFalse();
        assertThat(lint.getMessages()).noneMatch(message -> message.contains("[ERROR]") || message.contains("[WARNING]"));
    }

    @Test
    void defaultValuesRenderTheOperatorItsAccountItsRbacItsMetricsServiceAndItsSettings() {
        Rendered rendered = HelmChart.render("");

        assertThat(rendered.objects()).extracting(HasMetadata::getKind, object -> object.getMetadata().getName())
                .containsExactlyInAnyOrder(
                        tuple("ServiceAccount", "slm-fleet"),
                        tuple("ClusterRole", "slm-fleet"),
                        tuple("ClusterRoleBinding", "slm-fleet"),
                        tuple("Service", "slm-fleet-metrics"),
                        tuple("ConfigMap", "slm-fleet-settings"),
                        tuple("Deployment", "slm-fleet"));
        assertThat(rendered.objects()).filteredOn(object -> !(object instanceof ClusterRole)
                && !(object instanceof ClusterRoleBinding))
                .allSatisfy(object -> assertThat(object.getMetadata().getNamespace()).isEqualTo(HelmChart.NAMESPACE));
    }

    @Test
    void aChangeOfTheSettingsRollsTheOperator() {
        assertThat(settingsChecksum(HelmChart.render("economics: {gpuPricePerHour: {NVIDIA-L4: 0.8}}")))
                .isNotEqualTo(settingsChecksum(HelmChart.render("")));
    }

    private static String settingsChecksum(Rendered rendered) {
        return rendered.one(Deployment.class, "slm-fleet").getSpec().getTemplate().getMetadata().getAnnotations()
                .get("checksum/settings");
    }

    @ParameterizedTest
    @MethodSource("valueSets")
    void everyPodMeetsTheRestrictedPodSecurityStandardWithAReadOnlyRootAndAWritableTmp(String values) {
        Rendered rendered = HelmChart.render(values);

        assertThat(rendered.objects()).as("workloads the chart renders (extend this test for a new kind)")
                .filteredOn(object -> object.getKind().matches("Pod|Deployment|StatefulSet|DaemonSet|ReplicaSet|Job|CronJob"))
                .extracting(HasMetadata::getKind).containsOnly("Deployment");
        for (Deployment deployment : rendered.all(Deployment.class)) {
            assertRestricted(deployment.getSpec().getTemplate().getSpec());
        }
    }

    @Test
    void operatorContainerHasProbesResourcesAndTheOperatorMode() {
        Deployment deployment = HelmChart.render("").one(Deployment.class, "slm-fleet");
        Container operator = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);

        assertThat(operator.getArgs()).containsExactly("operator");
        assertThat(operator.getPorts()).singleElement().satisfies(port -> {
            assertThat(port.getName()).isEqualTo("http");
            assertThat(port.getContainerPort()).isEqualTo(8080);
        });
        assertThat(operator.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/q/health/live");
        assertThat(operator.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/q/health/ready");
        assertThat(operator.getStartupProbe().getHttpGet().getPath()).isEqualTo("/q/health/live");
        assertThat(List.of(operator.getLivenessProbe(), operator.getReadinessProbe(), operator.getStartupProbe()))
                .allSatisfy(probe -> assertThat(probe.getHttpGet().getPort().getStrVal()).isEqualTo("http"));
        assertThat(operator.getResources().getRequests()).containsOnlyKeys("cpu", "memory");
        assertThat(operator.getResources().getLimits()).containsOnlyKeys("cpu", "memory");
        assertThat(env(operator)).containsEntry("QUARKUS_LOG_LEVEL", "INFO");
    }

    @Test
    void operatorJvmGetsTheChartsOptionsAndTheImagesPropertiesAndAcceptsThem() throws Exception {
        Container operator = operatorContainer(HelmChart.render("jvmOptions: -XX:+UseSerialGC -Xss256k"));
        Map<String, String> defaults = env(operatorContainer(HelmChart.render("")));

        assertThat(env(operator)).containsEntry("JAVA_OPTS", "-XX:+UseSerialGC -Xss256k -Dquarkus.http.host=0.0.0.0"
                + " -Djava.util.logging.manager=org.jboss.logmanager.LogManager");
        assertThat(defaults).containsEntry("MALLOC_ARENA_MAX", "2");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-XX:MaxRAM=512m"));
        command.addAll(List.of(defaults.get("JAVA_OPTS").split(" ")));
        command.add("-version");
        Process java = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(java.getInputStream().readAllBytes());
        assertThat(java.waitFor()).as("java %s:%n%s", command, output).isZero();
    }

    @Test
    void routerImageDefaultsToTheOperatorImageAndFollowsADigest() {
        Container byTag = operatorContainer(HelmChart.render(""));
        String digest = "sha256:" + "a".repeat(64);
        Container byDigest = operatorContainer(HelmChart.render("image: {digest: " + digest + "}"));

        assertThat(byTag.getImage()).isEqualTo("ghcr.io/slmfleet/slm-fleet-operator:0.1.0");
        assertThat(env(byTag)).containsEntry("SLMFLEET_IMAGE", byTag.getImage());
        assertThat(byDigest.getImage()).isEqualTo("ghcr.io/slmfleet/slm-fleet-operator@" + digest);
        assertThat(env(byDigest)).containsEntry("SLMFLEET_IMAGE", byDigest.getImage());
    }

    @Test
    void metricsServiceReachesTheOperatorPods() {
        Rendered rendered = HelmChart.render("");
        Service service = rendered.one(Service.class, "slm-fleet-metrics");
        Deployment deployment = rendered.one(Deployment.class, "slm-fleet");

        assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels())
                .containsAllEntriesOf(service.getSpec().getSelector());
        assertThat(deployment.getSpec().getSelector().getMatchLabels()).isEqualTo(service.getSpec().getSelector());
        assertThat(service.getSpec().getPorts()).singleElement().satisfies(port -> {
            assertThat(port.getName()).isEqualTo("http");
            assertThat(port.getTargetPort().getStrVal()).isEqualTo("http");
        });
    }

    @Test
    void serviceMonitorOnlyWhenEnabledScrapingTheMetricsEndpoint() {
        Rendered withMonitor = HelmChart.render(EVERYTHING_ON);
        GenericKubernetesResource monitor = withMonitor.one(GenericKubernetesResource.class, "slm-fleet");
        Service service = withMonitor.one(Service.class, "slm-fleet-metrics");

        assertThat(HelmChart.render("").all(GenericKubernetesResource.class)).isEmpty();
        assertThat(monitor.getApiVersion()).isEqualTo("monitoring.coreos.com/v1");
        assertThat(monitor.getKind()).isEqualTo("ServiceMonitor");
        assertThat(monitor.getMetadata().getLabels()).containsEntry("release", "prometheus");
        assertThat(service.getMetadata().getLabels())
                .containsAllEntriesOf(monitor.<Map<String, String>>get("spec", "selector", "matchLabels"));
        assertThat(monitor.<List<Map<String, Object>>>get("spec", "endpoints")).singleElement()
                .satisfies(endpoint -> assertThat(endpoint).containsEntry("port", "http").containsEntry("path", "/q/metrics"));
    }

    @Test
    void serviceAccountCanBeBroughtByTheUser() {
        Rendered rendered = HelmChart.render("serviceAccount: {create: false, name: platform-operator}");

        assertThat(rendered.all(ServiceAccount.class)).isEmpty();
        assertThat(rendered.one(Deployment.class, "slm-fleet").getSpec().getTemplate().getSpec().getServiceAccountName())
                .isEqualTo("platform-operator");
        assertThat(rendered.one(ClusterRoleBinding.class, "slm-fleet").getSubjects()).singleElement()
                .satisfies(subject -> assertThat(subject.getName()).isEqualTo("platform-operator"));
    }

    @Test
    void userSettingsReachThePod() {
        PodSpec pod = HelmChart.render(EVERYTHING_ON).one(Deployment.class, "slm-fleet").getSpec().getTemplate().getSpec();

        assertThat(env(pod.getContainers().get(0))).containsEntry("SLMFLEET_NIM_STARTUP_BUDGET", "90m");
        assertThat(pod.getImagePullSecrets()).extracting("name").containsExactly("registry");
        assertThat(pod.getPriorityClassName()).isEqualTo("system-cluster-critical");
        assertThat(pod.getNodeSelector()).containsEntry("kubernetes.io/os", "linux");
        assertThat(pod.getTolerations()).extracting("key").containsExactly("dedicated");
    }

    @Test
    void installNotesSayWhatWasInstalledAndHowToCheckIt() {
        String notes = HelmChart.installNotes("");
        String electing = HelmChart.installNotes(EVERYTHING_ON);

        assertThat(notes).contains("Watching: all namespaces", "leader election off",
                "kubectl -n slm-fleet rollout status deployment/slm-fleet");
        assertThat(electing).contains("Watching: namespaces team-a", "leader election on (Lease slm-fleet/slm-fleet-leader)",
                "A ServiceMonitor \"slm-fleet\"");
    }

    static Container operatorContainer(Rendered rendered) {
        return rendered.one(Deployment.class, "slm-fleet").getSpec().getTemplate().getSpec().getContainers().get(0);
    }

    /** Literal env values by name (valueFrom entries map to null). */
    static Map<String, String> env(Container container) {
        return container.getEnv().stream()
                .collect(Collectors.toMap(EnvVar::getName, var -> var.getValue() == null ? "<valueFrom>" : var.getValue()));
    }

    /** Pod Security Standards "restricted" (v1.25+), plus this chart's read-only root filesystem with /tmp writable. */
    private static void assertRestricted(PodSpec pod) {
        assertThat(pod.getHostNetwork()).isNotEqualTo(Boolean.TRUE);
        assertThat(pod.getHostPID()).isNotEqualTo(Boolean.TRUE);
        assertThat(pod.getHostIPC()).isNotEqualTo(Boolean.TRUE);
        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(pod.getSecurityContext().getRunAsUser()).as("pod runAsUser").isNotEqualTo(ROOT);
        assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
        assertThat(pod.getVolumes()).allSatisfy(volume -> assertThat(volume.getHostPath()).isNull());
        List<Container> containers = Stream.concat(pod.getContainers().stream(),
                pod.getInitContainers() == null ? Stream.empty() : pod.getInitContainers().stream()).toList();
        assertThat(containers).isNotEmpty().allSatisfy(container -> {
            SecurityContext security = container.getSecurityContext();
            assertThat(security.getPrivileged()).isNotEqualTo(Boolean.TRUE);
            assertThat(security.getAllowPrivilegeEscalation()).isFalse();
            assertThat(security.getCapabilities().getDrop()).containsExactly("ALL");
            assertThat(security.getCapabilities().getAdd()).isNullOrEmpty();
            assertThat(security.getRunAsNonRoot()).isTrue();
            assertThat(security.getRunAsUser()).as("container runAsUser").isNotEqualTo(ROOT);
            assertThat(security.getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
            assertThat(security.getReadOnlyRootFilesystem()).isTrue();
            assertThat(container.getVolumeMounts()).anySatisfy(mount -> {
                assertThat(mount.getMountPath()).isEqualTo("/tmp");
                assertThat(mount.getReadOnly()).isNotEqualTo(Boolean.TRUE);
                Volume volume = pod.getVolumes().stream().filter(v -> v.getName().equals(mount.getName())).findFirst()
                        .orElseThrow();
                assertThat(volume.getEmptyDir()).isNotNull();
            });
        });
    }
}
