package io.slmfleet.common;

import java.lang.reflect.InvocationTargetException;
import java.util.function.BiConsumer;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.CustomResource;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;

/**
 * The one way reconcilers write status: only when it changed, so a converged resource costs no write, and as a
 * server-side apply of the status alone. The applied object carries the resource's name, namespace and uid but no
 * resourceVersion: the operator is the only writer of status, so a cached resourceVersion that is one event behind
 * would only make the API server answer 409 Conflict and the reconcile run again for nothing.
 */
public final class StatusUpdates {

    private static final ObjectMapper JSON = new ObjectMapper();

    private StatusUpdates() {
    }

    /**
     * Patches {@code next} as the status of {@code resource} unless it equals the current one; on a change,
     * {@code onChange} (previous, next) runs first, to record Events.
     */
    public static <S, P extends CustomResource<?, S>> UpdateControl<P> patchIfChanged(P resource, S next,
            BiConsumer<S, S> onChange) {
        S previous = resource.getStatus();
        if (previous != null && JSON.valueToTree(previous).equals(JSON.valueToTree(next))) {
            return UpdateControl.noUpdate();
        }
        onChange.accept(previous, next);
        return UpdateControl.patchStatus(statusOnly(resource, next));
    }

    /** Patches {@code next}, the status telling why a reconcile failed. */
    public static <S, P extends CustomResource<?, S>> ErrorStatusUpdateControl<P> patchError(P resource, S next) {
        return ErrorStatusUpdateControl.patchStatus(statusOnly(resource, next));
    }

    /** A copy of {@code resource} holding only what identifies it and {@code status}: what the status apply sends. */
    static <S, P extends CustomResource<?, S>> P statusOnly(P resource, S status) {
        P copy = newInstanceLike(resource);
        copy.setMetadata(new ObjectMetaBuilder()
                .withName(resource.getMetadata().getName())
                .withNamespace(resource.getMetadata().getNamespace())
                .withUid(resource.getMetadata().getUid())
                .build());
        copy.setStatus(status);
        return copy;
    }

    @SuppressWarnings("unchecked")
    private static <P extends CustomResource<?, ?>> P newInstanceLike(P resource) {
        try {
            return (P) resource.getClass().getDeclaredConstructor().newInstance();
        } catch (InstantiationException | IllegalAccessException | InvocationTargetException | NoSuchMethodException e) {
            throw new IllegalStateException("custom resource class without a public no-argument constructor: "
                    + resource.getClass().getName(), e);
        }
    }
}
