package io.slmfleet.evaluationjob;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import io.slmfleet.agentroute.ResolvedTarget;
import io.slmfleet.agentroute.RoutingTableRenderer;
import io.slmfleet.api.v1alpha1.AgentRoute;
import io.slmfleet.api.v1alpha1.EvaluationJob;
import io.slmfleet.api.v1alpha1.EvaluationJobSpec;
import io.slmfleet.api.v1alpha1.FallbackSpec;
import io.slmfleet.api.v1alpha1.LlmPricingSpec;
import io.slmfleet.api.v1alpha1.SLMSpecialist;
import io.slmfleet.api.v1alpha1.SecretKeyRef;
import io.slmfleet.api.v1alpha1.TargetSpec;
import io.slmfleet.economics.GpuPrices;
import io.slmfleet.economics.LlmPrices;
import io.slmfleet.economics.SpecialistGpus;

/**
 * Resolves an EvaluationJob's candidates against what the reconciler observed: a specialist as the router would call
 * it (its Service, its base model or adapter; Ready and Mounted, or it waits), an AgentRoute's fallback LLM, or an
 * endpoint; each priced from the economics settings. Pure: no client calls.
 */
public final class CandidateResolver {

    public static final String CANDIDATE_NOT_FOUND = "CandidateNotFound";
    public static final String CANDIDATE_NOT_READY = "CandidateNotReady";
    public static final String SECRET_NOT_FOUND = "SecretNotFound";

    private CandidateResolver() {
    }

    /**
     * What the reconciler read for the candidates.
     *
     * @param specialists the named SLMSpecialists that exist, by name
     * @param routes the named AgentRoutes that exist, by name
     * @param secrets names of the referenced Secrets that exist
     */
    public record Observation(Map<String, SLMSpecialist> specialists, Map<String, AgentRoute> routes, Set<String> secrets) {
    }

    /**
     * Every candidate resolved, or the problems that keep the evaluation waiting, each naming its candidate; a problem
     * of a missing object outranks one of an object that is not ready yet, so the reason says what to fix first.
     *
     * @param reason the condition reason, null when every candidate resolved
     */
    public record Resolution(List<ResolvedCandidate> candidates, String reason, List<String> problems) {

        public boolean resolved() {
            return reason == null;
        }
    }

    public static Resolution resolve(EvaluationJob job, Observation observed, GpuPrices prices) {
        List<ResolvedCandidate> resolved = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        List<String> notReady = new ArrayList<>();
        for (EvaluationJobSpec.Candidate candidate : job.getSpec().candidates) {
            String label = "candidate " + candidate.name + ": ";
            if (candidate.specialist != null) {
                ResolvedTarget target = RoutingTableRenderer.resolve(candidate.name,
                        new TargetSpec(candidate.specialist, candidate.adapter, 1),
                        Optional.ofNullable(observed.specialists().get(candidate.specialist)));
                if (!target.ready()) {
                    (isMissing(target.reason()) ? missing : notReady).add(label + target.message());
                    continue;
                }
                SLMSpecialist specialist = observed.specialists().get(candidate.specialist);
                resolved.add(new ResolvedCandidate(candidate.name, target.endpoint(), target.model(), null,
                        prices.perHour(SpecialistGpus.of(specialist)).orElse(null), null));
            } else if (candidate.agentRouteFallback != null) {
                AgentRoute route = observed.routes().get(candidate.agentRouteFallback);
                FallbackSpec fallback = route == null ? null : route.getSpec().fallback;
                if (fallback == null) {
                    missing.add(label + "AgentRoute " + candidate.agentRouteFallback
                            + (route == null ? " not found" : " has no fallback"));
                } else if (secretExists(fallback.apiKeySecret, observed, label, missing)) {
                    resolved.add(new ResolvedCandidate(candidate.name, fallback.endpoint, fallback.model,
                            fallback.apiKeySecret, null, prices(fallback.pricing)));
                }
            } else {
                EvaluationJobSpec.Endpoint endpoint = candidate.endpoint;
                if (secretExists(endpoint.apiKeySecret, observed, label, missing)) {
                    resolved.add(new ResolvedCandidate(candidate.name, endpoint.url, endpoint.model, endpoint.apiKeySecret,
                            null, prices(endpoint.pricing)));
                }
            }
        }
        if (!missing.isEmpty()) {
            List<String> problems = new ArrayList<>(missing);
            problems.addAll(notReady);
            boolean secretsOnly = missing.stream().allMatch(problem -> problem.contains("Secret "));
            return new Resolution(List.of(), secretsOnly ? SECRET_NOT_FOUND : CANDIDATE_NOT_FOUND, problems);
        }
        if (!notReady.isEmpty()) {
            return new Resolution(List.of(), CANDIDATE_NOT_READY, notReady);
        }
        return new Resolution(List.copyOf(resolved), null, List.of());
    }

    /** The Secrets the candidates' keys come from, to be checked for existence. */
    public static Set<String> secretNames(EvaluationJob job, Map<String, AgentRoute> routes) {
        Set<String> names = new TreeSet<>();
        for (EvaluationJobSpec.Candidate candidate : job.getSpec().candidates) {
            apiKey(candidate, routes).ifPresent(key -> names.add(key.name));
        }
        return names;
    }

    private static Optional<SecretKeyRef> apiKey(EvaluationJobSpec.Candidate candidate, Map<String, AgentRoute> routes) {
        if (candidate.endpoint != null) {
            return Optional.ofNullable(candidate.endpoint.apiKeySecret);
        }
        return Optional.ofNullable(candidate.agentRouteFallback).map(routes::get).map(route -> route.getSpec().fallback)
                .map(fallback -> fallback.apiKeySecret);
    }

    /** A specialist or adapter that does not exist (or is not listed) is fixed by the user; one not ready yet, by time. */
    private static boolean isMissing(String reason) {
        return !ResolvedTarget.SPECIALIST_NOT_READY.equals(reason) && !ResolvedTarget.ADAPTER_NOT_MOUNTED.equals(reason);
    }

    private static boolean secretExists(SecretKeyRef key, Observation observed, String label, List<String> missing) {
        if (key == null || observed.secrets().contains(key.name)) {
            return true;
        }
        missing.add(label + "Secret " + key.name + " (its API key) not found");
        return false;
    }

    private static LlmPrices prices(LlmPricingSpec pricing) {
        return pricing == null ? null : new LlmPrices(pricing.inputPerMillionTokens, pricing.outputPerMillionTokens);
    }
}
