package io.slmfleet.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** A file or directory inside a PersistentVolumeClaim of the resource's namespace. */
public class ClaimPath {

    /** Relative, without a leading slash or any "." / ".." segment: it is appended to a mount path. */
    public static final String RELATIVE_PATH = "^[A-Za-z0-9_][-A-Za-z0-9_.]*(/[A-Za-z0-9_][-A-Za-z0-9_.]*)*$";

    @Required
    @Size(max = 253)
    @Pattern(Names.DNS_1123_SUBDOMAIN)
    @JsonPropertyDescription("Name of the PersistentVolumeClaim, in the same namespace.")
    public String claimName;

    @Size(max = 1024)
    @Pattern(RELATIVE_PATH)
    @JsonPropertyDescription("Path relative to the root of the volume. Empty: the whole volume.")
    public String path;

    public ClaimPath() {
    }

    public ClaimPath(String claimName, String path) {
        this.claimName = claimName;
        this.path = path;
    }
}
