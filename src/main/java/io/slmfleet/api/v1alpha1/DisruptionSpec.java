package io.slmfleet.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Min;

/** The PodDisruptionBudget of the NIM pods. */
public class DisruptionSpec {

    @Min(0)
    @Default("1")
    @JsonPropertyDescription("Pods that must stay available during voluntary disruptions (node drains).")
    public Integer minAvailable = 1;
}
