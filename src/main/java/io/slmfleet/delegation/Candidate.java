package io.slmfleet.delegation;

import io.slmfleet.api.v1alpha1.CandidateSpec;

/**
 * The specialist (or adapter) a delegation moves traffic to.
 *
 * @param adapter null for the base model
 */
public record Candidate(String specialist, String adapter) {

    public static Candidate of(CandidateSpec spec) {
        return new Candidate(spec.specialist, spec.adapter == null || spec.adapter.isEmpty() ? null : spec.adapter);
    }

    /** The router's name for it in metrics: specialist, or specialist/adapter (the target label). */
    public String label() {
        return adapter == null ? specialist : specialist + "/" + adapter;
    }

    public CandidateSpec toSpec() {
        return new CandidateSpec(specialist, adapter);
    }
}
