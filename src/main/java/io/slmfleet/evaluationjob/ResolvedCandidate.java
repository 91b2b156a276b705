package io.slmfleet.evaluationjob;

import io.slmfleet.api.v1alpha1.SecretKeyRef;
import io.slmfleet.economics.LlmPrices;

/**
 * A candidate as the evaluation pod calls it.
 *
 * @param name its name in the spec (and the leaderboard)
 * @param baseUrl the OpenAI-compatible base URL, e.g. http://nim.agents.svc:8000/v1
 * @param model the model sent with every request: an adapter, a specialist's base model or the endpoint's model
 * @param apiKey the Secret key kubelet puts in the pod's environment for this candidate, or null
 * @param gpuPricePerHour what the specialist's GPUs (all replicas) cost per hour, or null (not a specialist, or no price)
 * @param tokenPrices an LLM's token prices, or null (not an LLM, or no pricing given)
 */
public record ResolvedCandidate(String name, String baseUrl, String model, SecretKeyRef apiKey, Double gpuPricePerHour,
        LlmPrices tokenPrices) {
}
