package io.slmfleet.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class AdapterStatus {

    public enum State {
        /** Its source is not there yet (a FineTuneJob still running, or missing). */
        Pending,
        /** On the mounted adapter volume: NIM serves it within one refresh interval. */
        Mounted,
        /** Its source failed or cannot be served by this specialist; see message. */
        Failed
    }

    @JsonPropertyDescription("Adapter name, as listed in spec.adapters.")
    public String name;

    @JsonPropertyDescription("Where it comes from: fineTuneJob/<name> or volume/<claim>.")
    public String source;

    @JsonPropertyDescription("Pending, Mounted or Failed.")
    public State state;

    @JsonPropertyDescription("Why it is not Mounted.")
    public String message;

    public AdapterStatus() {
    }

    public AdapterStatus(String name, String source, State state, String message) {
        this.name = name;
        this.source = source;
        this.state = state;
        this.message = message;
    }
}
