package io.slmfleet.delegation;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One look at a tournament: several candidates of one route's delegation, shadowed on the same sampled requests,
 * and which of them goes on to step through the live shares. Pure: the caller passes each candidate's shadow figures,
 * how long they have been shadowed, its cost, the candidates rolled back and the choice of the last look; nothing here
 * reads a clock or does I/O.
 * <p>
 * <b>Each candidate's gates</b> are checked as a single delegation's shadowing window is ({@link GateCheck}, the
 * same code {@link DelegationDecision} acts on): cleared once the window has lasted stepInterval, holds
 * minComparisons and every bound is on the right side of its gate; clearly missed (the agreement's upper bound below
 * minAgreement, the error or invalid-output rate's lower bound above its gate) at any look, and then the candidate is
 * {@link State#Eliminated}: its gates can no longer clear, and it need not be shadowed any more.
 * <p>
 * <b>The rule.</b> Rank the candidates by cost per 1,000 requests, an unknown cost above every known one (candidates
 * of the same cost, or both of unknown cost, rank equal). A candidate <em>qualifies</em> when its gates have cleared and
 * every candidate ranked strictly cheaper is Eliminated or RolledBack. Of the candidates that qualify at a look, the
 * cheapest is {@link State#Chosen}; at equal cost the one with the higher agreement lower bound, then the one declared
 * first. The others still in the tournament are then {@link State#NotChosen} (the reason names the chosen one) and stop
 * being shadowed. While none qualifies, the candidates not out are {@link State#Competing}, a cleared one with the
 * reason {@value #CHEAPER_STILL_COMPETING} naming the cheaper ones it waits for. A choice stands at later looks (the
 * chosen candidate's steps, promotion or roll-back are its delegation's, decided by {@link DelegationDecision}); when
 * the chosen candidate is rolled back it is {@link State#RolledBack} and the rule runs again over the rest: the
 * tournament passes to the next one that qualifies. When every candidate is Eliminated or RolledBack, none is chosen
 * and each standing says why.
 * <p>
 * <b>Why not the first candidate to clear.</b> Clearing takes comparisons in proportion to how far a candidate's
 * agreement is above the gate: at minAgreement 0.95, a candidate at 0.99 clears after a few hundred comparisons, one
 * at 0.97 after well over a thousand. Choosing the first whose gates clear would almost always choose the most accurate
 * candidate, which is usually the dearest, and the aim is the cheapest candidate that is good enough. So a
 * cleared candidate waits while a cheaper one may still clear, and gives up waiting only when that one is out: its
 * agreement's upper bound has fallen below the gate (or another gate is clearly missed), which for a candidate
 * clearly below the gate comes quickly. Waiting costs nothing in safety: every bound is a {@link ConfidenceSequence},
 * valid at any number of looks, so a candidate below a gate clears (or a good one is eliminated) with probability at
 * most 1 - confidence per gate, however long the tournament runs. {@code TournamentBenchmark} measures both.
 * <p>
 * Equal cost does not hold a decision: a cleared candidate does not wait for a still-competing one of the same cost,
 * since waiting could not make the choice cheaper. (Holding for declared order as well would leave the tie
 * rule, "ties: higher agreement", nothing to decide.)
 * <p>
 * <b>One candidate</b> is today's delegation: Chosen exactly when its shadowing window's gates pass (the look at which
 * {@link DelegationDecision} steps it to its first share), Eliminated when it would be rolled back, Competing while it
 * would hold, with the same reasons.
 */
public final class Tournament {

    /** Gates cleared, but a cheaper candidate may still clear: the decision waits for it. */
    public static final String CHEAPER_STILL_COMPETING = "CheaperCandidateCompeting";
    /** Another candidate was chosen. */
    public static final String ANOTHER_CHOSEN = "AnotherCandidateChosen";
    /** The candidate was chosen at an earlier look and steps as the route's delegation. */
    public static final String CHOSEN_EARLIER = "ChosenEarlier";
    /** The candidate was rolled back: out of the tournament while the spec names it. */
    public static final String ROLLED_BACK = "RolledBack";

    public enum State {
        /** Still shadowed: its gates have not cleared, or they have and a cheaper candidate may still clear. */
        Competing,
        /** A gate is clearly missed: its gates can no longer clear. */
        Eliminated,
        /** Another candidate was chosen: no longer shadowed. */
        NotChosen,
        /** Steps through the live shares as the route's delegation. */
        Chosen,
        /** Rolled back (as the chosen one): out of the tournament. */
        RolledBack
    }

    /**
     * The settings every candidate's gates are checked with: the delegation's.
     *
     * @param stepInterval least time shadowed before a candidate's gates can clear
     * @param minComparisons least comparisons before a candidate's gates can clear
     */
    public record Rules(DelegationPolicy.Gates gates, double confidence, long minComparisons, Duration stepInterval) {

        public static Rules of(DelegationPolicy policy) {
            return new Rules(policy.gates(), policy.confidence(), policy.minComparisons(), policy.stepInterval());
        }
    }

    /**
     * One candidate, as the caller read it.
     *
     * @param costPer1k its cost per 1,000 requests; null when unknown (ranked dearest)
     * @param figures its shadow figures since its window started
     * @param shadowed how long its window has lasted
     */
    public record Entrant(Candidate candidate, Double costPer1k, StepFigures figures, Duration shadowed) {

        public Entrant {
            Objects.requireNonNull(candidate, "candidate");
            Objects.requireNonNull(figures, "figures");
            Objects.requireNonNull(shadowed, "shadowed");
            if (costPer1k != null && !(costPer1k >= 0 && costPer1k < Double.POSITIVE_INFINITY)) {
                throw new IllegalArgumentException(candidate.label() + ": cost " + costPer1k + " is not a finite cost ≥ 0");
            }
        }
    }

    /**
     * Where one candidate stands after the look.
     *
     * @param reason one word: a {@link Decision} gate or hold constant, or one of the constants here
     * @param figures its shadow figures as status shows them
     */
    public record Standing(Candidate candidate, Double costPer1k, State state, String reason, String message,
            StepEvaluation figures) {
    }

    /** Every candidate's standing, in declared order. */
    public record Result(List<Standing> standings) {

        public Result {
            standings = List.copyOf(standings);
        }

        /** The chosen candidate, if any. */
        public Optional<Candidate> chosen() {
            return standings.stream().filter(standing -> standing.state() == State.Chosen).map(Standing::candidate)
                    .findFirst();
        }

        /** Every candidate is out (Eliminated or RolledBack): none can be chosen. */
        public boolean exhausted() {
            return standings.stream().allMatch(standing -> out(standing.state()));
        }

        public Standing of(Candidate candidate) {
            return standings.stream().filter(standing -> standing.candidate().equals(candidate)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException(candidate.label() + " is not in the tournament"));
        }
    }

    private Tournament() {
    }

    /**
     * @param entrants the candidates in declared order, each once
     * @param rolledBack the candidates rolled back (names that are not entrants are ignored)
     * @param chosenBefore the candidate the last look chose, or null; ignored when it is no entrant or rolled back
     */
    public static Result decide(Rules rules, List<Entrant> entrants, Set<Candidate> rolledBack, Candidate chosenBefore) {
        if (entrants.isEmpty()) {
            throw new IllegalArgumentException("a tournament needs at least one candidate");
        }
        Set<Candidate> seen = new HashSet<>();
        for (Entrant entrant : entrants) {
            if (!seen.add(entrant.candidate())) {
                throw new IllegalArgumentException(entrant.candidate().label() + " is named twice");
            }
        }
        List<Look> looks = new ArrayList<>();
        for (int i = 0; i < entrants.size(); i++) {
            Entrant entrant = entrants.get(i);
            GateCheck check = GateCheck.of(rules.gates(), rules.confidence(), rules.minComparisons(), rules.stepInterval(),
                    entrant.figures(), entrant.shadowed(), false);
            looks.add(new Look(i, entrant, check, rolledBack.contains(entrant.candidate())));
        }
        Look chosen = looks.stream()
                .filter(look -> !look.rolledBack() && look.entrant().candidate().equals(chosenBefore))
                .findFirst().orElse(null);
        boolean fresh = chosen == null;
        if (fresh) {
            chosen = looks.stream().filter(look -> qualifies(look, looks)).min(Comparator.comparingDouble(Look::rank)
                    .thenComparingDouble(look -> -look.check().bounds().agreement().lower()).thenComparingInt(Look::index))
                    .orElse(null);
        }
        List<Standing> standings = new ArrayList<>();
        for (Look look : looks) {
            standings.add(standing(look, looks, chosen, fresh, rules));
        }
        return new Result(standings);
    }

    /** One candidate's check at this look. */
    private record Look(int index, Entrant entrant, GateCheck check, boolean rolledBack) {

        boolean out() {
            return rolledBack || check.verdict() == GateCheck.Verdict.Missed;
        }

        boolean cleared() {
            return !out() && check.verdict() == GateCheck.Verdict.Cleared;
        }

        double rank() {
            return entrant.costPer1k() == null ? Double.POSITIVE_INFINITY : entrant.costPer1k();
        }

        String label() {
            return entrant.candidate().label();
        }

        StepEvaluation figures() {
            return StepEvaluation.of(null, 0, check.bounds(), entrant.figures());
        }

        String summary() {
            return DelegationDecision.summary(check.bounds(), entrant.figures());
        }
    }

    private static boolean qualifies(Look look, List<Look> looks) {
        return look.cleared() && cheaperStillIn(look, looks).isEmpty();
    }

    /** The candidates ranked strictly cheaper than this one that are not out. */
    private static List<Look> cheaperStillIn(Look look, List<Look> looks) {
        return looks.stream().filter(other -> other.rank() < look.rank() && !other.out()).toList();
    }

    private static Standing standing(Look look, List<Look> looks, Look chosen, boolean fresh, Rules rules) {
        Entrant entrant = look.entrant();
        if (look.rolledBack()) {
            return standing(look, State.RolledBack, ROLLED_BACK,
                    look.label() + " was rolled back: out of the tournament while the spec names it");
        }
        if (look == chosen) {
            return fresh ? standing(look, State.Chosen, Decision.GATES_PASSED, chosenMessage(look, looks))
                    : standing(look, State.Chosen, CHOSEN_EARLIER, look.label() + " was chosen at an earlier look and "
                            + "steps through the live shares; the tournament passes on only if it is rolled back");
        }
        GateCheck check = look.check();
        if (check.verdict() == GateCheck.Verdict.Missed) {
            return standing(look, State.Eliminated, check.reason(), look.summary() + "; "
                    + GateCheck.gateText(check.reason(), rules.gates()) + ": its gates can no longer clear");
        }
        if (chosen != null) {
            return standing(look, State.NotChosen, ANOTHER_CHOSEN, chosen.label() + " was chosen (" + cost(chosen)
                    + ") over this candidate (" + cost(look) + (look.cleared() ? ", its gates cleared too" : "")
                    + "): no longer shadowed");
        }
        return switch (check.verdict()) {
            case Cleared -> standing(look, State.Competing, CHEAPER_STILL_COMPETING, "the gates cleared (" + look.summary()
                    + ", " + cost(look) + ") but cheaper candidates may still clear: "
                    + cheaperStillIn(look, looks).stream().map(other -> other.label() + " (" + cost(other) + ")")
                            .collect(Collectors.joining(", ")));
            case Inconclusive -> standing(look, State.Competing, Decision.INCONCLUSIVE,
                    look.summary() + ": " + String.join("; ", check.pending()));
            default -> standing(look, State.Competing, check.reason(), entrant.figures().comparisons().total()
                    + " comparisons (" + rules.minComparisons() + " needed), " + DelegationDecision.minutes(entrant.shadowed())
                    + " of " + DelegationDecision.minutes(rules.stepInterval()));
        };
    }

    private static String chosenMessage(Look look, List<Look> looks) {
        StringBuilder message = new StringBuilder("chosen: the gates cleared (" + look.summary() + ", " + cost(look) + ")");
        List<Look> cheaperOut = looks.stream().filter(other -> other.rank() < look.rank()).toList();
        if (cheaperOut.isEmpty()) {
            message.append(" and no candidate is cheaper");
        } else {
            message.append(" and every cheaper candidate is out: ").append(cheaperOut.stream()
                    .map(other -> other.label() + (other.rolledBack() ? " rolled back" : " " + other.check().reason()))
                    .collect(Collectors.joining(", ")));
        }
        List<Look> tied = looks.stream().filter(other -> other != look && other.cleared() && other.rank() == look.rank())
                .toList();
        if (!tied.isEmpty()) {
            message.append(String.format(Locale.ROOT, "; of those cleared at the same cost, its agreement lower bound %.4f is the highest (ties: declared first)",
                    look.check().bounds().agreement().lower()));
        }
        return message.toString();
    }

    private static Standing standing(Look look, State state, String reason, String message) {
        return new Standing(look.entrant().candidate(), look.entrant().costPer1k(), state, reason, message, look.figures());
    }

    private static String cost(Look look) {
        return look.entrant().costPer1k() == null ? "cost unknown"
                : String.format(Locale.ROOT, "%.4f per 1k", look.entrant().costPer1k());
    }

    private static boolean out(State state) {
        return state == State.Eliminated || state == State.RolledBack;
    }
}
