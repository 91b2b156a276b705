package io.slmfleet.agentroute;

import java.util.List;

import io.slmfleet.api.v1alpha1.AgentRouteStatus.DelegationPhase;
import io.slmfleet.api.v1alpha1.DelegationSpec;
import io.slmfleet.delegation.Candidate;

/**
 * What the routing table gives a delegation's candidate: its share of live traffic (percent) and the share of requests
 * on which the candidate and the reference both answer and are compared. Every comparison with a fallback reference or
 * a judge is a paid LLM call, so the rate follows the phase: the spec's {@code shadowRate} while the candidate is
 * measured, the {@code watchRate} once it is promoted, nothing once it is rolled back.
 */
public record CandidateServing(int share, double shadowRate, List<Candidate> compared) {

    /**
     * @param compared a tournament's candidates in the table, in declared order: the first takes the share, the rest
     *        are only compared (contenders); empty for a single candidate (the spec's)
     */
    public CandidateServing {
        compared = compared == null ? List.of() : List.copyOf(compared);
    }

    public CandidateServing(int share, double shadowRate) {
        this(share, shadowRate, List.of());
    }

    /** Neither traffic nor comparisons: the candidate is left out of the table. */
    public static final CandidateServing NONE = new CandidateServing(0, 0);

    /** Before any look: shadowing at the spec's rate. */
    public static CandidateServing initial(DelegationSpec delegation) {
        return new CandidateServing(0, delegation.shadowRate);
    }

    public static CandidateServing of(DelegationPhase phase, int share, DelegationSpec delegation) {
        return switch (phase) {
            case RolledBack -> NONE;
            case Promoted -> new CandidateServing(share, delegation.watchRate);
            default -> new CandidateServing(share, delegation.shadowRate);
        };
    }

    /** A tournament's serving of the given candidates. */
    public CandidateServing of(List<Candidate> candidates) {
        return new CandidateServing(share, shadowRate, candidates);
    }

    public boolean inTable() {
        return share > 0 || shadowRate > 0;
    }
}
