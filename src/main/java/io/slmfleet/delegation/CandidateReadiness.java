package io.slmfleet.delegation;

/**
 * Whether the candidate can take traffic, as the reconciler resolved it: the specialist exists, is Ready and serves
 * the route's base model, and its adapter is listed and Mounted.
 *
 * @param reason why not, e.g. SpecialistNotFound, SpecialistNotReady, AdapterNotMounted; null when ready
 * @param message the same in a sentence; null when ready
 */
public record CandidateReadiness(boolean ready, String reason, String message) {

    public static final CandidateReadiness READY = new CandidateReadiness(true, null, null);

    public static CandidateReadiness notReady(String reason, String message) {
        return new CandidateReadiness(false, reason, message);
    }
}
