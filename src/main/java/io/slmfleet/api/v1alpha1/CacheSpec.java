package io.slmfleet.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.kubernetes.api.model.Quantity;

/** The PersistentVolumeClaim NIM keeps downloaded models and engines in. */
public class CacheSpec {

    public enum AccessMode {
        ReadWriteOnce,
        ReadWriteMany,
        ReadWriteOncePod
    }

    @Required
    @JsonPropertyDescription("Requested size, e.g. 60Gi; room for the model weights and the built engines.")
    public Quantity size;

    @Size(max = 253)
    @Pattern(Names.DNS_1123_SUBDOMAIN)
    @JsonPropertyDescription("StorageClass of the claim. Empty: the cluster default.")
    public String storageClassName;

    @Default("ReadWriteOnce")
    @JsonPropertyDescription("Access mode of the claim; ReadWriteMany lets replicas on several nodes share one cache.")
    public AccessMode accessMode = AccessMode.ReadWriteOnce;

    @Default("true")
    @JsonPropertyDescription("Keep the claim (and the downloaded model) when the specialist is deleted.")
    public Boolean retainOnDelete = true;
}
