package io.slmfleet.slmspecialist;

import java.util.List;
import java.util.Optional;

import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.slmfleet.api.v1alpha1.CacheSpec;
import io.slmfleet.api.v1alpha1.SLMSpecialist;
import io.slmfleet.common.DesiredState;
import io.slmfleet.common.Labels;
import io.slmfleet.common.OwnerReferences;

/**
 * The model-cache claim. With retainOnDelete it has no owner reference, so the garbage collector leaves it (and the
 * downloaded model) behind when the specialist is deleted; a specialist created again with the same name reuses it.
 */
public final class CacheClaim {

    private CacheClaim() {
    }

    public static Optional<PersistentVolumeClaim> desired(SLMSpecialist specialist) {
        CacheSpec cache = specialist.getSpec().cache;
        if (cache == null) {
            return Optional.empty();
        }
        List<OwnerReference> owners = Boolean.TRUE.equals(cache.retainOnDelete) ? List.of()
                : List.of(OwnerReferences.controlledBy(specialist));
        return Optional.of(DesiredState.stamped(new PersistentVolumeClaimBuilder()
                .withNewMetadata()
                    .withName(Nim.cacheClaimName(specialist))
                    .withNamespace(specialist.getMetadata().getNamespace())
                    .withLabels(Labels.of(specialist, Nim.APP, "model-cache"))
                    .withOwnerReferences(owners)
                .endMetadata()
                .withNewSpec()
                    .withAccessModes(cache.accessMode.name())
                    .withStorageClassName(cache.storageClassName)
                    .withNewResources()
                        .addToRequests("storage", cache.size)
                    .endResources()
                .endSpec()
                .build()));
    }
}
