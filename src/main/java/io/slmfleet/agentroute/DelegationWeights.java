package io.slmfleet.agentroute;

import java.util.List;

/**
 * A delegation's live share of a route (percent) as routing-table weights, the trusted targets keeping their relative
 * weights: with trusted weights t_i (total T) and a share p, the trusted targets get t_i × (100 − p) and the candidate
 * p × T, so the candidate's part of the pick is exactly p %. At 100 % the trusted targets stay in the table with weight 0:
 * out of the pick, still there to compare with. A route without trusted targets is served by the fallback LLM; the
 * router then reads the candidate's weight as its percentage and gives the fallback the rest.
 *
 * @param trusted the trusted targets' weights, in the table's order
 * @param candidate the candidate's weight (0: compared, never serving)
 */
public record DelegationWeights(List<Integer> trusted, int candidate) {

    public static DelegationWeights split(List<Integer> trusted, int percent) {
        if (percent < 0 || percent > 100) {
            throw new IllegalArgumentException("a live share is a percentage, not " + percent);
        }
        int total = trusted.stream().mapToInt(Integer::intValue).sum();
        if (percent == 0) {
            return new DelegationWeights(List.copyOf(trusted), 0);
        }
        if (total == 0) {
            return new DelegationWeights(List.copyOf(trusted), percent);
        }
        return new DelegationWeights(trusted.stream().map(weight -> weight * (100 - percent)).toList(), percent * total);
    }
}
