package io.slmfleet.e2e.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.node.v1.RuntimeClassBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.VersionInfo;
import io.slmfleet.e2e.support.TestCluster.Identity;
import io.slmfleet.render.Manifests;

/**
 * What every e2e test class shares, set up once per JVM: the cluster, the harness's own client (an identity apart from
 * the operator's), the CRDs installed from {@code crds/}, the RuntimeClass {@code nvidia} the NIM pods name, and a fake
 * kubelet with a few fake GPU nodes.
 */
public final class E2eHarness {

    /** Test namespaces carry this label, so a person can find (and remove) what an interrupted run left behind. */
    public static final String NAMESPACE_LABEL = "slmfleet.io/e2e";
    /** The GPU product of the fake nodes; specialists and fine-tune jobs of the scenarios ask for it. */
    public static final String GPU_PRODUCT = "NVIDIA-L4";
    public static final String HARNESS_FIELD_MANAGER = "e2e-harness";
    /** Folder of other projects' CRDs to install for the tier, e.g. KEDA's; see {@link #installThirdPartyCrds}. */
    public static final String THIRD_PARTY_CRDS_PROPERTY = "e2e.crds";
    /** The oldest Kubernetes the README promises (1.26: Jobs with podFailurePolicy, CEL with transition rules). */
    public static final int OLDEST_SUPPORTED_MINOR = 26;

    private static E2eHarness instance;

    private final TestCluster cluster;
    private final KubernetesClient client;
    private final FakeKubelet kubelet;

    private E2eHarness(TestCluster cluster) {
        this.cluster = cluster;
        this.client = cluster.newClient(Identity.HARNESS);
        requireSupportedVersion(client);
        installCrds(client);
        ensureRuntimeClass(client, "nvidia");
        String run = UUID.randomUUID().toString().substring(0, 6);
        this.kubelet = FakeKubelet.forCluster(client, cluster)
                .addGpuNodes("e2e-gpu-" + run, 3, "nvidia.com/gpu", 8, GPU_PRODUCT)
                .start();
        System.out.printf("[e2e] target: %s; fake GPU nodes %s%n", cluster.describe(), kubelet.nodeNames());
        if (!(cluster instanceof LocalControlPlane)) {
            // a cluster that outlives the run: remove the fake nodes (a local control plane goes away whole)
            Runtime.getRuntime().addShutdownHook(new Thread(kubelet::close, "e2e-fake-nodes-cleanup"));
        }
    }

    public static synchronized E2eHarness get() {
        if (instance == null) {
            instance = new E2eHarness(TestCluster.get());
        }
        return instance;
    }

    public TestCluster cluster() {
        return cluster;
    }

    public KubernetesClient client() {
        return client;
    }

    public FakeKubelet kubelet() {
        return kubelet;
    }

    /** A fresh namespace for one test class. */
    public String createNamespace(String prefix) {
        String name = "e2e-" + prefix + "-" + UUID.randomUUID().toString().substring(0, 6);
        client.namespaces().resource(new NamespaceBuilder()
                .withNewMetadata().withName(name).addToLabels(NAMESPACE_LABEL, "true").endMetadata()
                .build()).create();
        return name;
    }

    /** Deletes a test namespace and does not wait: without kube-controller-manager it stays Terminating. */
    public void deleteNamespace(String name) {
        client.namespaces().withName(name).delete();
    }

    /** A Secret with a placeholder value under {@code key}: the operator only checks that the key exists. */
    public static Secret secret(String namespace, String name, String key) {
        return new SecretBuilder()
                .withNewMetadata().withName(name).withNamespace(namespace).endMetadata()
                .withStringData(Map.of(key, "e2e-placeholder"))
                .build();
    }

    public static ConditionFactory eventually() {
        return eventually(Duration.ofSeconds(60));
    }

    public static ConditionFactory eventually(Duration atMost) {
        return Awaitility.await().atMost(atMost).pollInterval(Duration.ofMillis(250)).ignoreExceptions();
    }

    /** Installs (server-side applies) every CRD under crds/ and waits until the API server serves them. */
    public static void installCrds(KubernetesClient client) {
        installCrds(client, crds());
    }

    /**
     * Other projects' CRDs the operator may create objects of (KEDA's ScaledObject), from the folder named by
     * {@code -De2e.crds} (kept outside this repository, like the control plane's binaries): installed, so that the
     * golden objects of those kinds are checked too. Without the property, nothing is installed.
     */
    public static void installThirdPartyCrds(KubernetesClient client) {
        String folder = System.getProperty(THIRD_PARTY_CRDS_PROPERTY);
        if (folder == null || folder.isBlank()) {
            return;
        }
        try (Stream<Path> files = Files.list(Path.of(folder))) {
            installCrds(client, files.filter(file -> file.toString().endsWith(".yml") || file.toString().endsWith(".yaml"))
                    .sorted()
                    .flatMap(file -> Manifests.parse(read(file)).stream())
                    .toList());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the CRDs of -D" + THIRD_PARTY_CRDS_PROPERTY + "=" + folder, e);
        }
    }

    private static void installCrds(KubernetesClient client, List<HasMetadata> crds) {
        for (HasMetadata crd : crds) {
            client.resource(crd).fieldManager(HARNESS_FIELD_MANAGER).forceConflicts().serverSideApply();
        }
        for (HasMetadata crd : crds) {
            eventually().until(() -> {
                CustomResourceDefinition served = client.apiextensions().v1().customResourceDefinitions()
                        .withName(crd.getMetadata().getName()).get();
                return served != null && served.getStatus() != null && served.getStatus().getConditions().stream()
                        .anyMatch(c -> "Established".equals(c.getType()) && "True".equals(c.getStatus()));
            });
        }
    }

    /** The tier proves the README's promise on the oldest version it makes, or newer: an older server proves nothing. */
    private static void requireSupportedVersion(KubernetesClient client) {
        VersionInfo version = client.getKubernetesVersion();
        int minor = Integer.parseInt(version.getMinor().replaceAll("[^0-9]", ""));
        if (Integer.parseInt(version.getMajor()) == 1 && minor < OLDEST_SUPPORTED_MINOR) {
            throw new IllegalStateException("the API server is " + version.getGitVersion() + "; the operator supports"
                    + " Kubernetes 1." + OLDEST_SUPPORTED_MINOR + " or newer (README), so the e2e tier needs one of those");
        }
    }

    static List<HasMetadata> crds() {
        try (Stream<Path> files = Files.list(Path.of("crds"))) {
            return files.filter(file -> file.toString().endsWith(".yml") || file.toString().endsWith(".yaml"))
                    .sorted()
                    .flatMap(file -> Manifests.parse(read(file)).stream())
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("run the e2e tier from the project's root folder (it reads crds/)", e);
        }
    }

    private static void ensureRuntimeClass(KubernetesClient client, String name) {
        if (client.resources(io.fabric8.kubernetes.api.model.node.v1.RuntimeClass.class).withName(name).get() == null) {
            client.resource(new RuntimeClassBuilder().withNewMetadata().withName(name).endMetadata().withHandler(name)
                    .build()).create();
        }
    }

    public static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
