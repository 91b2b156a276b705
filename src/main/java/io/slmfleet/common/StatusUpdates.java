package io.slmfleet.common;

import java.lang.reflect.InvocationTargetException;
import java.util.function.BiConsumer;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.OperatorException;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;

/**
 * The one way reconcilers write status: only when it changed, so a converged resource costs no write, as a server-side
 * apply of the status alone, and so that the next reconcile reads it.
 * <p>
 * The status is derived from the status the last reconcile wrote (delegation steps, condition transitions, the Events
 * they record). java-operator-sdk 5.1 does not cache what {@code UpdateControl.patchStatus} wrote: a reconcile that a
 * child's event or a reschedule starts before the informer has seen the write gets the primary from before it, and
 * would decide and record the same transition again. So the write goes through
 * {@link PrimaryUpdateAndCacheUtils#ssaPatchStatusAndCacheResource}, which puts the API server's answer into the
 * controller's temporary cache (read by the next reconcile until the informer catches up) and the reconcile returns
 * {@code noUpdate}. That cache is only sound under optimistic locking: the applied object carries the resourceVersion
 * the status was derived from. On 409 Conflict (someone changed the resource meanwhile, e.g. its spec or annotations)
 * it waits for the informer to see the newer version and applies the same status onto it: the operator is the only
 * writer of status, so the status the decision was taken from is still the last one.
 */
public final class StatusUpdates {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Logger LOG = Logger.getLogger(StatusUpdates.class);

    private StatusUpdates() {
    }

    /**
     * Applies {@code next} as the status of {@code resource} unless it equals the current one; once written,
     * {@code onChange} (previous, next) runs, to record Events. Returns {@code noUpdate}, to add a reschedule to.
     */
    public static <S, P extends CustomResource<?, S>> UpdateControl<P> patchIfChanged(P resource, S next, Context<P> context,
            BiConsumer<S, S> onChange) {
        S previous = resource.getStatus();
        if (previous != null && JSON.valueToTree(previous).equals(JSON.valueToTree(next))) {
            return UpdateControl.noUpdate();
        }
        PrimaryUpdateAndCacheUtils.ssaPatchStatusAndCacheResource(resource, statusOnly(resource, next), context);
        onChange.accept(previous, next);
        return UpdateControl.noUpdate();
    }

    /**
     * Applies {@code next}, the status telling why a reconcile failed, the same way. A write that fails is logged, not
     * thrown (as java-operator-sdk does with an error status); the reconcile is retried either way.
     */
    public static <S, P extends CustomResource<?, S>> ErrorStatusUpdateControl<P> patchError(P resource, S next,
            Context<P> context) {
        try {
            PrimaryUpdateAndCacheUtils.ssaPatchStatusAndCacheResource(resource, statusOnly(resource, next), context);
        } catch (KubernetesClientException | OperatorException e) {
            LOG.warnf("Could not write the error status of %s %s/%s: %s", resource.getKind(),
                    resource.getMetadata().getNamespace(), resource.getMetadata().getName(), e.getMessage());
        }
        return ErrorStatusUpdateControl.noStatusUpdate();
    }

    /**
     * A copy of {@code resource} holding only what identifies it and {@code status}: what the status apply sends (with
     * the resourceVersion, which {@link PrimaryUpdateAndCacheUtils} sets from {@code resource}).
     */
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
