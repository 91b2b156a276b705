package io.slmfleet.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

public class OutputSpec {

    @Required
    @Size(max = 63)
    @Pattern(Names.DNS_1123_LABEL)
    @JsonPropertyDescription("Adapter name: the directory <claim>/<adapterName>/ and the model id NIM serves it under.")
    public String adapterName;

    @Required
    @JsonPropertyDescription("The adapter claim, shared with the SLMSpecialists that serve the adapter (ReadWriteMany).")
    public ClaimRef volume;
}
