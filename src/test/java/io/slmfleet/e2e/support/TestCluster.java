package io.slmfleet.e2e.support;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;

/**
 * The real Kubernetes API server the e2e tier runs against: one started here from the control-plane binaries in
 * {@code KUBEBUILDER_ASSETS}, or the cluster of {@code KUBECONFIG}. One per JVM, shared by every e2e test class.
 */
public interface TestCluster {

    String KUBEBUILDER_ASSETS = "KUBEBUILDER_ASSETS";
    String KUBECONFIG = "KUBECONFIG";

    /** Who talks to the API server. Each has its own identity where the cluster is ours, so writes can be told apart. */
    enum Identity {
        OPERATOR("slm-fleet-operator"),
        HARNESS("e2e-harness");

        public final String user;

        Identity(String user) {
            this.user = user;
        }
    }

    /** Client configuration for one identity. */
    Config config(Identity identity);

    /** What the operator's Quarkus configuration needs to reach this API server as {@link Identity#OPERATOR}. */
    Map<String, String> operatorProperties();

    /** Garbage collection, Deployment → ReplicaSet → pods, Jobs → pods: controllers that kube-controller-manager runs. */
    boolean hasControllerManager();

    boolean hasScheduler();

    /** The API server's audit log, when the cluster is ours (every write request, by user). */
    Optional<AuditLog> auditLog();

    /** Restarts kube-apiserver (etcd keeps the data); only for a control plane started here. */
    default boolean canRestartApiServer() {
        return false;
    }

    default void restartApiServer() {
        throw new UnsupportedOperationException("the API server of " + describe() + " is not ours to restart");
    }

    String describe();

    default KubernetesClient newClient(Identity identity) {
        return new KubernetesClientBuilder().withConfig(config(identity)).build();
    }

    /** The one cluster of this JVM, started or connected on first use; fails with what to provide when there is none. */
    static TestCluster get() {
        return Holder.INSTANCE;
    }

    final class Holder {
        private static final TestCluster INSTANCE = create();

        private Holder() {
        }

        private static TestCluster create() {
            String assets = System.getenv(KUBEBUILDER_ASSETS);
            String kubeconfig = System.getenv(KUBECONFIG);
            if (assets != null && !assets.isBlank()) {
                Path folder = Path.of(assets);
                for (String binary : new String[] { "kube-apiserver", "etcd" }) {
                    if (!Files.isExecutable(folder.resolve(binary))) {
                        throw new IllegalStateException(KUBEBUILDER_ASSETS + "=" + assets + " has no executable " + binary
                                + "; it must hold kube-apiserver and etcd (and, for garbage collection, Deployments and"
                                + " Jobs, kube-controller-manager; for scheduling, kube-scheduler)");
                    }
                }
                LocalControlPlane controlPlane = LocalControlPlane.start(folder);
                Runtime.getRuntime().addShutdownHook(new Thread(controlPlane::stop, "e2e-control-plane-stop"));
                return controlPlane;
            }
            if (kubeconfig != null && !kubeconfig.isBlank()) {
                return new ExistingCluster(kubeconfig);
            }
            throw new IllegalStateException("The e2e tier needs a real Kubernetes API server and found none. Provide one of:\n"
                    + "  KUBECONFIG=<file>           a disposable cluster (kind, k3d, minikube...) the tests may write to, or\n"
                    + "  KUBEBUILDER_ASSETS=<folder>  control-plane binaries: kube-apiserver and etcd, optionally\n"
                    + "                              kube-controller-manager and kube-scheduler (see docs/e2e.md)");
        }
    }
}
