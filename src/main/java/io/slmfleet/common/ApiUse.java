package io.slmfleet.common;

import java.util.List;

import io.fabric8.kubernetes.api.model.HasMetadata;

/**
 * What one controller does with the Kubernetes API, declared next to the code that does it (its informers are built
 * from {@code watched}); the operator's RBAC is derived from these declarations (see io.slmfleet.app.ApiAccess).
 *
 * @param primary the custom resource it reconciles (read, watched, status patched)
 * @param applied kinds it creates and updates with server-side apply
 * @param deleted kinds it deletes when no longer wanted
 * @param watched kinds it lists and watches through informers
 * @param read kinds it only reads by name, never lists or watches (referenced Secrets, claims, ConfigMaps)
 * @param listed kinds it lists with a field selector now and then, never watches (another controller's Events)
 */
public record ApiUse(
        Class<? extends HasMetadata> primary,
        List<Class<? extends HasMetadata>> applied,
        List<Class<? extends HasMetadata>> deleted,
        List<Class<? extends HasMetadata>> watched,
        List<Class<? extends HasMetadata>> read,
        List<Class<? extends HasMetadata>> listed) {
}
