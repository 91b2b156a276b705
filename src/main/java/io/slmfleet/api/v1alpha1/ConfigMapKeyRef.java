package io.slmfleet.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** A key of a ConfigMap in the resource's namespace. */
public class ConfigMapKeyRef {

    @Required
    @Pattern(Names.DNS_1123_SUBDOMAIN)
    @JsonPropertyDescription("Name of the ConfigMap, in the same namespace.")
    public String name;

    @Required
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
