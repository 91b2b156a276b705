package io.slmfleet.api.v1alpha1;

/** Name patterns shared by the schemas, as the API server spells them. */
public final class Names {

    /** A DNS-1123 label: the name of an object, a directory or a port-safe identifier. */
    public static final String DNS_1123_LABEL = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$";

    /** A DNS-1035 label: the name of a Service (a DNS-1123 label that starts with a letter). */
    public static final String DNS_1035_LABEL = "^[a-z]([-a-z0-9]*[a-z0-9])?$";

    /** A DNS-1123 subdomain: the name of most Kubernetes objects (Secrets, ConfigMaps, claims). */
    public static final String DNS_1123_SUBDOMAIN = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";

    private Names() {
    }
}
