package io.slmfleet.agentroute;

import io.slmfleet.api.v1alpha1.ConfigMapKeyRef;

/** The key of a ConfigMap holding a response schema; a value type, so several routes may share one document. */
public record SchemaRef(String configMap, String key) {

    public static SchemaRef of(ConfigMapKeyRef ref) {
        return new SchemaRef(ref.name, ref.key);
    }

    @Override
    public String toString() {
        return "ConfigMap " + configMap + " key " + key;
    }
}
