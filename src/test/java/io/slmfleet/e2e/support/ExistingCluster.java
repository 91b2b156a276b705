package io.slmfleet.e2e.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import io.fabric8.kubernetes.client.Config;

/**
 * The cluster of {@code KUBECONFIG} (its current context). It has its own controllers, scheduler and kubelets; its API
 * server is not ours to restart or audit. Both the operator and the harness use the kubeconfig's credentials.
 */
final class ExistingCluster implements TestCluster {

    private final String kubeconfig;

    ExistingCluster(String kubeconfig) {
        this.kubeconfig = kubeconfig;
    }

    @Override
    public Config config(Identity identity) {
        try {
            Path file = Path.of(kubeconfig.split(java.io.File.pathSeparator)[0]);
            return Config.fromKubeconfig(null, Files.readString(file), file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read KUBECONFIG " + kubeconfig, e);
        }
    }

    /** Quarkus' client reads KUBECONFIG by itself. */
    @Override
    public Map<String, String> operatorProperties() {
        return Map.of();
    }

    @Override
    public boolean hasControllerManager() {
        return true;
    }

    @Override
    public boolean hasScheduler() {
        return true;
    }

    @Override
    public Optional<AuditLog> auditLog() {
        return Optional.empty();
    }

    @Override
    public String describe() {
        return "the cluster of KUBECONFIG=" + kubeconfig;
    }
}
