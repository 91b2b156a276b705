package io.slmfleet.common;

import java.util.Set;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;

/** Informers on the children of a kind of primary resource. */
public final class ChildInformers {

    private ChildInformers() {
    }

    /**
     * Watches only the objects labelled as children of {@code ownerKind} and maps each back to its owner through the
     * owner label, which, unlike an owner reference, is there also on a child the owner must not garbage-collect.
     */
    public static <R extends HasMetadata, P extends HasMetadata> InformerEventSource<R, P> childrenOf(Class<R> kind,
            Class<P> ownerKind, EventSourceContext<P> context) {
        String ownerLabel = Labels.ownerLabel(ownerKind);
        return new InformerEventSource<>(InformerEventSourceConfiguration.from(kind, ownerKind)
                .withName(kind.getSimpleName())
                .withLabelSelector(Labels.childrenSelector(ownerKind))
                .withSecondaryToPrimaryMapper(child -> Set.of(new ResourceID(child.getMetadata().getLabels().get(ownerLabel),
                        child.getMetadata().getNamespace())))
                .build(), context);
    }
}
