package io.slmfleet.common;

import java.util.LinkedHashMap;
import java.util.Map;

import io.fabric8.kubernetes.api.model.HasMetadata;

/** The labels every child object carries: the app.kubernetes.io recommended set plus the owning resource. */
public final class Labels {

    public static final String NAME = "app.kubernetes.io/name";
    public static final String INSTANCE = "app.kubernetes.io/instance";
    public static final String COMPONENT = "app.kubernetes.io/component";
    public static final String PART_OF = "app.kubernetes.io/part-of";
    public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    public static final String MANAGER = "slm-fleet-operator";
    public static final String PART_OF_VALUE = "slm-fleet";

    /** Selects what this operator manages; informers of child objects watch only these. */
    public static final String MANAGED_SELECTOR = MANAGED_BY + "=" + MANAGER;

    private Labels() {
    }

    /** Labels of a child of {@code owner} playing {@code component} (e.g. nim, finetune, router). */
    public static Map<String, String> of(HasMetadata owner, String name, String component) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(NAME, name);
        labels.put(INSTANCE, owner.getMetadata().getName());
        labels.put(COMPONENT, component);
        labels.put(PART_OF, PART_OF_VALUE);
        labels.put(MANAGED_BY, MANAGER);
        return labels;
    }

    /** The immutable subset used as a pod selector: never changes for the life of the owner. */
    public static Map<String, String> selector(HasMetadata owner, String name) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(NAME, name);
        labels.put(INSTANCE, owner.getMetadata().getName());
        return labels;
    }
}
