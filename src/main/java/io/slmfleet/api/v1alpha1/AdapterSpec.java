package io.slmfleet.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** A LoRA adapter: its directory on the adapter volume and the name it is served under. */
@ValidationRule(value = "has(self.fineTuneJob) != has(self.volume)",
        message = "an adapter needs exactly one source: fineTuneJob or volume")
public class AdapterSpec {

    @Required
    @Size(max = 63)
    @Pattern(Names.DNS_1123_LABEL)
    @JsonPropertyDescription("Adapter name: the OpenAI model id it is served under and its directory name on the adapter volume.")
    public String name;

    @Size(max = 253)
    @Pattern(Names.DNS_1123_SUBDOMAIN)
    @JsonPropertyDescription("A FineTuneJob in this namespace that publishes the adapter; it is mounted once the job succeeded.")
    public String fineTuneJob;

    @JsonPropertyDescription("A claim that already holds the adapter in the directory <name>/ (adapter_config.json and "
            + "adapter_model.safetensors).")
    public ClaimRef volume;

    public AdapterSpec() {
    }

    public static AdapterSpec fromFineTuneJob(String name, String fineTuneJob) {
        AdapterSpec adapter = new AdapterSpec();
        adapter.name = name;
        adapter.fineTuneJob = fineTuneJob;
        return adapter;
    }

    public static AdapterSpec fromVolume(String name, String claimName) {
        AdapterSpec adapter = new AdapterSpec();
        adapter.name = name;
        adapter.volume = new ClaimRef(claimName);
        return adapter;
    }
}
