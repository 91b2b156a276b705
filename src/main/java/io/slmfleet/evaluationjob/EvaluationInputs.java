package io.slmfleet.evaluationjob;

import java.util.List;

import io.slmfleet.api.v1alpha1.ConfigMapKeyRef;

/**
 * What an evaluation Job is built from, once everything it names was found and is ready.
 *
 * @param datasetClaim the claim holding the evaluation set
 * @param datasetPath the JSON Lines file inside that claim
 * @param candidates in the spec's order
 * @param responseSchema the ConfigMap key of the JSON Schema answers must satisfy, or null
 */
public record EvaluationInputs(String datasetClaim, String datasetPath, List<ResolvedCandidate> candidates,
        ConfigMapKeyRef responseSchema) {

    public EvaluationInputs {
        candidates = List.copyOf(candidates);
    }
}
