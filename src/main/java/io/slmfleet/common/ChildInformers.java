package io.slmfleet.common;

import java.util.Set;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;

/** Informers on the children of a kind of primary resource, and on the other resources reconcilers watch. */
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
        return trimmed(InformerEventSourceConfiguration.from(kind, ownerKind)
                .withName(kind.getSimpleName())
                .withLabelSelector(Labels.childrenSelector(ownerKind))
                .withSecondaryToPrimaryMapper(child -> Set.of(new ResourceID(child.getMetadata().getLabels().get(ownerLabel),
                        child.getMetadata().getNamespace()))), context);
    }

    /**
     * Builds the informer with a {@link TrimmedItemStore} when the controller watches all namespaces or a single one.
     * With several namespaces JOSDK starts one informer per namespace and hands each the same store; informers sharing
     * a store would drop each other's objects whenever one of them lists again, so those keep whole objects.
     */
    public static <R extends HasMetadata, P extends HasMetadata> InformerEventSource<R, P> trimmed(
            InformerEventSourceConfiguration.Builder<R> configuration, EventSourceContext<P> context) {
        if (context.getControllerConfiguration().getEffectiveNamespaces().size() == 1) {
            configuration.withItemStore(new TrimmedItemStore<>());
        }
        return new InformerEventSource<>(configuration.build(), context);
    }
}
