package io.slmfleet.common;

import java.io.IOException;

import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.client.KubernetesClientException;

/**
 * A failed reconcile told in one sentence a user can act on, for a status condition: the API server's own message
 * and the object it refused, never a Java exception with its URL, class names and stack.
 */
public final class ApiErrors {

    private ApiErrors() {
    }

    public static String describe(Throwable error) {
        KubernetesClientException apiError = find(error, KubernetesClientException.class);
        if (apiError != null && apiError.getStatus() != null && hasText(apiError.getStatus().getMessage())) {
            return "the API server refused " + object(apiError) + ": "
                    + firstLine(apiError.getStatus().getMessage()) + reasonSuffix(apiError.getStatus());
        }
        IOException ioError = find(error, IOException.class);
        if (ioError != null) {
            return "the API server could not be reached: " + firstLine(String.valueOf(ioError.getMessage()));
        }
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return hasText(root.getMessage()) ? firstLine(root.getMessage()) : "unexpected " + root.getClass().getSimpleName();
    }

    private static String object(KubernetesClientException request) {
        if (!hasText(request.getResourcePlural())) {
            return "a request";
        }
        String object = hasText(request.getName()) ? request.getResourcePlural() + " " + request.getName()
                : request.getResourcePlural();
        return hasText(request.getNamespace()) ? object + " in namespace " + request.getNamespace() : object;
    }

    /** The HTTP reason (Forbidden, Conflict, Invalid, ...) when the message does not already start with it. */
    private static String reasonSuffix(Status status) {
        String reason = status.getReason();
        return hasText(reason) && !status.getMessage().toLowerCase().startsWith(reason.toLowerCase()) ? " (" + reason + ")" : "";
    }

    private static <T extends Throwable> T find(Throwable error, Class<T> type) {
        for (Throwable current = error; current != null; current = current.getCause() == current ? null : current.getCause()) {
            if (type.isInstance(current)) {
                return type.cast(current);
            }
        }
        return null;
    }

    private static String firstLine(String message) {
        int newline = message.indexOf('\n');
        return (newline < 0 ? message : message.substring(0, newline)).trim();
    }

    private static boolean hasText(String value) {
        return value != null && !value.isBlank();
    }
}
