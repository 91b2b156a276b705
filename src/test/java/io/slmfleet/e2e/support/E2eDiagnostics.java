package io.slmfleet.e2e.support;

import java.util.Optional;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.slmfleet.api.v1alpha1.SLMSpecialist;

/**
 * When an e2e test fails, prints what the cluster looked like in the test namespaces: the specialists' status, the
 * Deployments' status, the pods (node, phase, readiness) and the recent events. A failure far from the cluster is
 * otherwise hard to explain once the control plane is gone.
 */
public class E2eDiagnostics implements TestWatcher {

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        KubernetesClient client = E2eHarness.get().client();
        StringBuilder out = new StringBuilder("[e2e] cluster state after the failure of " + context.getDisplayName() + ":\n");
        try {
            client.namespaces().withLabel(E2eHarness.NAMESPACE_LABEL).list().getItems().forEach(namespace -> {
                String name = namespace.getMetadata().getName();
                out.append("namespace ").append(name).append('\n');
                for (SLMSpecialist specialist : client.resources(SLMSpecialist.class).inNamespace(name).list().getItems()) {
                    out.append("  SLMSpecialist ").append(specialist.getMetadata().getName()).append(" generation ")
                            .append(specialist.getMetadata().getGeneration()).append(" status ")
                            .append(Serialization.asJson(specialist.getStatus())).append('\n');
                }
                for (Deployment deployment : client.apps().deployments().inNamespace(name).list().getItems()) {
                    out.append("  Deployment ").append(deployment.getMetadata().getName()).append(" generation ")
                            .append(deployment.getMetadata().getGeneration()).append(" status ")
                            .append(Serialization.asJson(deployment.getStatus())).append('\n');
                }
                for (Pod pod : client.pods().inNamespace(name).list().getItems()) {
                    out.append("  Pod ").append(pod.getMetadata().getName()).append(" node ")
                            .append(pod.getSpec().getNodeName()).append(" phase ")
                            .append(Optional.ofNullable(pod.getStatus()).map(s -> s.getPhase()).orElse(null))
                            .append(pod.getMetadata().getDeletionTimestamp() == null ? "" : " terminating")
                            .append('\n');
                }
                client.v1().events().inNamespace(name).list().getItems().stream()
                        .skip(Math.max(0, client.v1().events().inNamespace(name).list().getItems().size() - 15))
                        .forEach(event -> out.append("  Event ").append(event.getType()).append(' ')
                                .append(event.getReason()).append(' ').append(event.getInvolvedObject().getKind())
                                .append('/').append(event.getInvolvedObject().getName()).append(": ")
                                .append(event.getMessage()).append('\n'));
            });
        } catch (RuntimeException e) {
            out.append("(could not read the cluster: ").append(e).append(")\n");
        }
        System.out.println(out);
    }
}
