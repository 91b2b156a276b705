package io.slmfleet.common;

import java.util.function.BiConsumer;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.fabric8.kubernetes.client.CustomResource;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;

/** The one way reconcilers write status: only when it changed, so a converged resource costs no write. */
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
        resource.setStatus(next);
        return UpdateControl.patchStatus(resource);
    }
}
