package io.slmfleet.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class AutoscalingStatus {

    /** What scales the NIM Deployment. */
    public enum Engine {
        /** A KEDA ScaledObject (keda.sh/v1alpha1), which runs its own HPA and scales to and from zero. */
        Keda,
        /** An autoscaling/v2 HorizontalPodAutoscaler. */
        Hpa,
        /** Nothing: the configuration was refused (see the AutoscalerReady condition). */
        None
    }

    @JsonPropertyDescription("Keda, Hpa, or None when the configuration is refused (condition AutoscalerReady says why).")
    public Engine engine;

    @JsonPropertyDescription("The signal the replica count follows.")
    public AutoscalingSpec.Signal signal;

    @JsonPropertyDescription("The signal's target per pod in effect (the spec's, or the signal's default); none for signal "
            + "metrics.")
    public Integer target;
}
