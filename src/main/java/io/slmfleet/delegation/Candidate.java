package io.slmfleet.delegation;

import io.slmfleet.api.v1alpha1.CandidateSpec;

/**
 * The specialist (or adapter) a delegation moves traffic to.
 *
 * @param adapter null for the base model
 */
public record Candidate(String specialist, String adapter) {

    public static Candidate of(CandidateSpec spec) {
        return of(spec.specialist, spec.adapter);
    }

    /** @param adapter as a spec names it: null or empty for the base model */
    public static Candidate of(String specialist, String adapter) {
        return new Candidate(specialist, adapter == null || adapter.isEmpty() ? null : adapter);
    }

    /** The router's name for it in metrics: specialist, or specialist/adapter (the target label). */
    public String label() {
        return adapter == null ? specialist : specialist + "/" + adapter;
    }

    public CandidateSpec toSpec() {
        return new CandidateSpec(specialist, adapter);
    }
}
