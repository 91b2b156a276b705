package io.slmfleet.agentroute;

import io.fabric8.kubernetes.api.model.Secret;
import io.slmfleet.api.v1alpha1.SecretKeyRef;

/** A key of a Secret an AgentRoute references; a value type (SecretKeyRef is not), so it can key what was observed. */
public record SecretKey(String secret, String key) {

    /** What a look at the Secret found; its values are never read. */
    public enum Presence {
        FOUND, SECRET_NOT_FOUND, KEY_NOT_FOUND
    }

    public static SecretKey of(SecretKeyRef ref) {
        return new SecretKey(ref.name, ref.key);
    }

    /** @param secret the Secret as read from the API server, or null when it does not exist */
    public Presence presenceIn(Secret secret) {
        if (secret == null) {
            return Presence.SECRET_NOT_FOUND;
        }
        boolean hasKey = (secret.getData() != null && secret.getData().containsKey(key))
                || (secret.getStringData() != null && secret.getStringData().containsKey(key));
        return hasKey ? Presence.FOUND : Presence.KEY_NOT_FOUND;
    }
}
