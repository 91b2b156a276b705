package io.slmfleet.agentroute;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.slmfleet.api.v1alpha1.AgentRoute;
import io.slmfleet.api.v1alpha1.RouteSpec;
import io.slmfleet.api.v1alpha1.SecretKeyRef;

/**
 * The Secret keys an AgentRoute references (the fallback's API key, the router's auth tokens, each judge's API key),
 * and the input problems of those that are missing; pure.
 */
final class RouteSecrets {

    /** A referenced key and what it is for, as its problem names it. */
    private record Reference(SecretKey key, String purpose) {
    }

    private RouteSecrets() {
    }

    /** The keys the reconciler looks at, each once. */
    static Set<SecretKey> referenced(AgentRoute route) {
        Set<SecretKey> keys = new LinkedHashSet<>();
        references(route).forEach(reference -> keys.add(reference.key()));
        return keys;
    }

    /** @param presence each key of {@link #referenced(AgentRoute)}, as looked at */
    static List<InputProblem> missing(AgentRoute route, Map<SecretKey, SecretKey.Presence> presence) {
        List<InputProblem> missing = new ArrayList<>();
        for (Reference reference : references(route)) {
            SecretKey key = reference.key();
            SecretKey.Presence found = presence.get(key);
            if (found == null) {
                throw new IllegalArgumentException("Secret " + key.secret() + " key " + key.key() + " was not looked at");
            }
            if (found != SecretKey.Presence.FOUND) {
                missing.add(new InputProblem(InputProblem.SECRET_NOT_FOUND, "Secret " + key.secret() + " ("
                        + reference.purpose() + ")" + (found == SecretKey.Presence.SECRET_NOT_FOUND ? " not found"
                                : " has no key " + key.key())));
            }
        }
        return missing;
    }

    private static List<Reference> references(AgentRoute route) {
        List<Reference> references = new ArrayList<>();
        add(references, route.getSpec().fallback == null ? null : route.getSpec().fallback.apiKeySecret, "fallback API key");
        add(references, route.getSpec().router.authTokensSecret, "router auth tokens");
        for (RouteSpec routeSpec : route.getSpec().routes) {
            if (routeSpec.delegation != null && routeSpec.delegation.judge != null) {
                add(references, routeSpec.delegation.judge.apiKeySecret, "judge API key of route " + routeSpec.task);
            }
        }
        return references;
    }

    private static void add(List<Reference> references, SecretKeyRef ref, String purpose) {
        if (ref != null) {
            references.add(new Reference(SecretKey.of(ref), purpose));
        }
    }
}
