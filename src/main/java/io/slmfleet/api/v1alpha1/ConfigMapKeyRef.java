package io.slmfleet.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** A key of a ConfigMap in the resource's namespace. */
public class ConfigMapKeyRef {

    @Required
    @Size(max = 253)
    @Pattern(Names.DNS_1123_SUBDOMAIN)
    @JsonPropertyDescription("Name of the ConfigMap, in the same namespace.")
    public String name;

    @Required
    @Size(max = 253)
    @Pattern("^[-._a-zA-Z0-9]+$")
    @JsonPropertyDescription("Key within the ConfigMap.")
    public String key;

    public ConfigMapKeyRef() {
    }

    public ConfigMapKeyRef(String name, String key) {
        this.name = name;
        this.key = key;
    }
}
