package io.slmfleet.common;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * Applies child objects with server-side apply under the operator's single field manager, and only when the object in
 * the informer cache does not already satisfy the desired state: a converged resource costs no API request.
 */
@ApplicationScoped
public class ChildApplier {

    private static final Logger LOG = Logger.getLogger(ChildApplier.class);

    /** The one field manager of everything the operator writes, children and status alike. */
    public static final String FIELD_MANAGER = "slm-fleet";

    private final KubernetesClient client;

    public ChildApplier(KubernetesClient client) {
        this.client = client;
    }

    /** Applies {@code desired} unless {@code cached} (the child as last seen by the informer) already satisfies it. */
    public <T extends HasMetadata> void apply(T desired, T cached) {
        if (DesiredState.isSatisfiedBy(desired, cached)) {
            return;
        }
        LOG.debugf("Applying %s %s/%s", desired.getKind(), desired.getMetadata().getNamespace(), desired.getMetadata().getName());
        client.resource(desired).fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply();
    }

    /** Deletes a child the resource no longer wants (e.g. the HPA once autoscaling is removed). */
    public <T extends HasMetadata> void deleteIfPresent(T cached) {
        if (cached != null) {
            client.resource(cached).delete();
        }
    }
}
