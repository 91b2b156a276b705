package io.slmfleet.common;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSecurityContextBuilder;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import io.slmfleet.api.v1alpha1.SecretKeyRef;

/** What every pod the operator creates shares: the restricted Pod Security Standard, and Secrets only by reference. */
public final class PodSecurity {

    /**
     * The operator's image runs as this user and group (the UBI OpenJDK images' user 185): the pods of its own commands
     * (curate, evaluate) must be able to write their output claims.
     */
    public static final long OPERATOR_IMAGE_UID = 185L;

    private PodSecurity() {
    }

    /** Non-root as {@code uid} (group and volume group too), with the runtime's default seccomp profile. */
    public static PodSecurityContext runAs(long uid) {
        return new PodSecurityContextBuilder()
                .withRunAsNonRoot(true)
                .withRunAsUser(uid)
                .withRunAsGroup(uid)
                .withFsGroup(uid)
                .withNewSeccompProfile()
                    .withType("RuntimeDefault")
                .endSeccompProfile()
                .build();
    }

    /** No privilege escalation, every capability dropped. */
    public static SecurityContext restrictedContainer() {
        return new SecurityContextBuilder()
                .withAllowPrivilegeEscalation(false)
                .withNewCapabilities()
                    .withDrop("ALL")
                .endCapabilities()
                .build();
    }

    /** An environment variable read by kubelet from a Secret's key: the value never passes through the operator. */
    public static EnvVar envFromSecret(String name, SecretKeyRef key) {
        return new EnvVarBuilder()
                .withName(name)
                .withNewValueFrom()
                    .withNewSecretKeyRef()
                        .withName(key.name)
                        .withKey(key.key)
                    .endSecretKeyRef()
                .endValueFrom()
                .build();
    }
}
