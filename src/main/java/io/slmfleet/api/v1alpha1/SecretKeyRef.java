package io.slmfleet.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** A key of a Secret in the resource's namespace. The operator references it; it never reads or copies the value. */
public class SecretKeyRef {

    @Required
    @Size(max = 253)
    @Pattern(Names.DNS_1123_SUBDOMAIN)
    @JsonPropertyDescription("Name of the Secret, in the same namespace.")
    public String name;

    @Required
    @Size(max = 253)
    @Pattern("^[-._a-zA-Z0-9]+$")
    @JsonPropertyDescription("Key within the Secret.")
    public String key;

    public SecretKeyRef() {
    }

    public SecretKeyRef(String name, String key) {
        this.name = name;
        this.key = key;
    }
}
