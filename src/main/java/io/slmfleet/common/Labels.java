package io.slmfleet.common;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import io.fabric8.kubernetes.api.model.HasMetadata;

/**
 * The labels every child object carries: the app.kubernetes.io recommended set, plus {@code slmfleet.io/<kind>} naming
 * the owning resource, which maps a child back to its owner even where it has no owner reference (a retained cache).
 */
public final class Labels {

    public static final String NAME = "app.kubernetes.io/name";
    public static final String INSTANCE = "app.kubernetes.io/instance";
    public static final String COMPONENT = "app.kubernetes.io/component";
    public static final String PART_OF = "app.kubernetes.io/part-of";
    public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    public static final String MANAGER = "slm-fleet-operator";
    public static final String PART_OF_VALUE = "slm-fleet";

    private Labels() {
    }

    /** The label naming the owning resource of a kind, e.g. {@code slmfleet.io/slmspecialist}. */
    public static String ownerLabel(Class<? extends HasMetadata> ownerKind) {
        return "slmfleet.io/" + HasMetadata.getKind(ownerKind).toLowerCase(Locale.ROOT);
    }

    /** Selects the children of owners of a kind; informers of child objects watch only these. */
    public static String childrenSelector(Class<? extends HasMetadata> ownerKind) {
        return MANAGED_BY + "=" + MANAGER + "," + ownerLabel(ownerKind);
    }

    /** Labels of a child of {@code owner}: {@code app} is the application (nim, trainer, agent-router). */
    public static Map<String, String> of(HasMetadata owner, String app, String component) {
        Map<String, String> labels = new LinkedHashMap<>(selector(owner, app));
        labels.put(COMPONENT, component);
        labels.put(PART_OF, PART_OF_VALUE);
        labels.put(MANAGED_BY, MANAGER);
        labels.put(ownerLabel(owner.getClass()), owner.getMetadata().getName());
        return labels;
    }

    /** The subset used as a pod selector: it never changes for the life of the owner. */
    public static Map<String, String> selector(HasMetadata owner, String app) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(NAME, app);
        labels.put(INSTANCE, owner.getMetadata().getName());
        return labels;
    }
}
