package io.slmfleet.common;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.informers.cache.BasicItemStore;
import io.fabric8.kubernetes.client.informers.cache.Cache;

/**
 * An informer store that keeps less of each object than the API server sends, as controller-runtime's
 * TransformStripManagedFields does: no {@code metadata.managedFields}, which the operator never reads from a cache (it
 * applies with force and leaves field ownership to the API server) and which, on an object several managers write, is
 * often its largest part; and no pod spec, because pods are watched for diagnosis only (name, labels and status, see
 * {@link PodDiagnosis}). A reconciler that needs either must read the object from the API server.
 * <p>
 * Objects are trimmed in place before they are stored: each is the informer's own copy, just read from the API server,
 * and the event handlers then see exactly what the cache holds.
 */
public final class TrimmedItemStore<R extends HasMetadata> extends BasicItemStore<R> {

    public TrimmedItemStore() {
        super(Cache::metaNamespaceKeyFunc);
    }

    @Override
    public R put(String key, R object) {
        return super.put(key, trimmed(object));
    }

    static <R extends HasMetadata> R trimmed(R object) {
        object.getMetadata().setManagedFields(null);
        if (object instanceof Pod pod) {
            pod.setSpec(null);
        }
        return object;
    }
}
