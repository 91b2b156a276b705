package io.slmfleet.router.table;

import java.util.List;
import java.util.random.RandomGenerator;

/**
 * A route's delegation as the router uses it: who the candidate is, who answers as the reference, how often the two
 * are compared and when a comparison agrees.
 *
 * @param candidate the candidate; in the route's pick too when its weight is above 0
 * @param references who answers for the reference side, picked by weight: the fallback (as a {@link
 *        ActiveTarget.Role#FALLBACK} member) or the trusted targets; empty when the route has none right now
 * @param judge grades free-text answers, or null for token F1
 * @param contenders a tournament's other candidates still competing: never picked, compared on the same sampled
 *        requests as the candidate
 */
public record ActiveDelegation(ActiveTarget candidate, List<ActiveTarget> references, double shadowRate,
        double agreementThreshold, ActiveJudge judge, List<ActiveTarget> contenders) {

    public ActiveDelegation {
        references = List.copyOf(references);
        contenders = contenders == null ? List.of() : List.copyOf(contenders);
    }

    public ActiveDelegation(ActiveTarget candidate, List<ActiveTarget> references, double shadowRate,
            double agreementThreshold, ActiveJudge judge) {
        this(candidate, references, shadowRate, agreementThreshold, judge, List.of());
    }

    public boolean isCandidate(String label) {
        return candidate.label().equals(label);
    }

    /** Everyone compared on a sampled request: the candidate, then a tournament's contenders. */
    public List<ActiveTarget> compared() {
        if (contenders.isEmpty()) {
            return List.of(candidate);
        }
        List<ActiveTarget> all = new java.util.ArrayList<>(contenders.size() + 1);
        all.add(candidate);
        all.addAll(contenders);
        return all;
    }

    /** Whether the answer of the member with this label is the reference's answer. */
    public boolean isReference(String label) {
        return references.stream().anyMatch(reference -> reference.label().equals(label));
    }

    /**
     * @return a reference member at random by weight (all alike when every weight is 0: the candidate serves the whole
     *         route and the references are kept only to compare with), or null when there is none
     */
    public ActiveTarget pickReference(RandomGenerator random) {
        if (references.isEmpty()) {
            return null;
        }
        long total = references.stream().mapToLong(ActiveTarget::weight).sum();
        if (total == 0) {
            return references.get(random.nextInt(references.size()));
        }
        long point = random.nextLong(total);
        for (ActiveTarget reference : references) {
            point -= reference.weight();
            if (point < 0) {
                return reference;
            }
        }
        throw new IllegalStateException("reference weights changed during a pick");
    }
}
