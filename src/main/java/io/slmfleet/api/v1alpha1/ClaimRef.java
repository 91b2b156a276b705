package io.slmfleet.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** A PersistentVolumeClaim in the resource's namespace. */
public class ClaimRef {

    @Required
    @Size(max = 253)
    @Pattern(Names.DNS_1123_SUBDOMAIN)
    @JsonPropertyDescription("Name of the PersistentVolumeClaim, in the same namespace.")
    public String claimName;

    public ClaimRef() {
    }

    public ClaimRef(String claimName) {
        this.claimName = claimName;
    }
}
