package io.slmfleet.api.v1alpha1;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * Moves a share of a route's live traffic to a candidate step by step, each step taken only when the candidate's
 * answers, compared with the trusted targets' (or the fallback LLM's), clear the gates on confidence bounds.
 */
@ValidationRule(value = "(has(self.candidate) ? 1 : 0) + (has(self.candidates) ? 1 : 0) + (has(self.candidatesFrom) ? 1 : 0) == 1",
        message = "a delegation names exactly one of candidate (one candidate), candidates (a tournament) and "
                + "candidatesFrom (a tournament of an EvaluationJob's passing candidates)")
public class DelegationSpec {

    /** A whole number of seconds, minutes or hours. */
    public static final String INTERVAL = "^[1-9][0-9]{0,5}(s|m|h)$";

    /** Enough steps for any sensible ramp; bounded so that the API server can cost the rules that read them. */
    public static final int MAX_STEPS = 10;

    /** Candidates of one tournament; bounded so that the API server can cost the rules that read them. */
    public static final int MAX_CANDIDATES = 4;

    @JsonPropertyDescription("The specialist or adapter that is to take over the task: the one-entry form of candidates, "
            + "decided exactly as a single delegation. A new candidate starts a new delegation. Exactly one of candidate, "
            + "candidates and candidatesFrom.")
    public CandidateSpec candidate;

    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
    @Size(min = 1, max = MAX_CANDIDATES)
    @ValidationRule(value = "self.all(c, self.exists_one(d, d.specialist == c.specialist && "
            + "(has(d.adapter) ? d.adapter : '') == (has(c.adapter) ? c.adapter : '')))",
            message = "delegation.candidates lists each specialist/adapter pair once")
    @JsonPropertyDescription("A tournament: 1 to 4 candidates shadowed on the same sampled requests; the cheapest whose gates "
            + "clear is chosen and steps through the live shares, the others stop being shadowed (NotChosen). A rolled-back "
            + "chosen candidate hands the tournament to the next that qualifies. Exactly one of candidate, candidates and "
            + "candidatesFrom.")
    public List<CandidateSpec> candidates;

    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
    @JsonPropertyDescription("A tournament of an EvaluationJob's candidates that passed its gate, cheapest first, decided as "
            + "candidates is (ranked by the evaluation's costPer1k). Exactly one of candidate, candidates and candidatesFrom.")
    public CandidatesFromSpec candidatesFrom;

    @Min(0)
    @Max(1)
    @Default("0.1")
    @JsonPropertyDescription("Share of the route's requests also sent to the candidate (and, for a judge, compared), in [0, 1]; "
            + "the caller always gets the answer of the target picked by weight.")
    public Double shadowRate = 0.1;

    @Min(0)
    @Max(1)
    @Default("0.01")
    @JsonPropertyDescription("Share of requests still compared once the candidate is Promoted, in [0, 1]: enough to watch its "
            + "agreement for drift on the dashboard at a fraction of the shadowRate's LLM calls; 0 stops comparing. A "
            + "RolledBack candidate is neither served nor compared.")
    public Double watchRate = 0.01;

    @Required
    @Size(min = 1, max = MAX_STEPS)
    @ValidationRule(value = "self.all(s, s >= 1 && s <= 100)", message = "delegation.steps are percentages from 1 to 100")
    // a list literal walks the pairs: the API server knows its size, and standard CEL has no indexed all()
    @ValidationRule(value = "[1, 2, 3, 4, 5, 6, 7, 8, 9].all(i, i >= size(self) || self[i - 1] < self[i])",
            message = "delegation.steps must increase strictly, e.g. [5, 25, 50, 100]")
    @JsonPropertyDescription("The candidate's share of live traffic at each step, in percent, increasing; promoted, it keeps "
            + "the last step's share.")
    public List<Integer> steps = new ArrayList<>();

    @Default("10m")
    @Pattern(INTERVAL)
    @JsonPropertyDescription("Least time at each step (and in shadowing) before it is checked, e.g. 10m, 1h or 90s.")
    public String stepInterval = "10m";

    @Min(1)
    @Max(1000000)
    @Default("200")
    @JsonPropertyDescription("Least number of comparisons at each step before it is checked.")
    public Integer minComparisons = 200;

    @Required
    @JsonPropertyDescription("What the candidate must show to take the next step, and what rolls it back.")
    public DelegationGatesSpec gates;

    @Min(0.5)
    @Max(0.999)
    @Default("0.95")
    @JsonPropertyDescription("Confidence of the bounds the gates are checked on; 1 - confidence bounds the chance that a "
            + "candidate below a gate is ever promoted past it, however often the operator looks.")
    public Double confidence = 0.95;

    @Min(0)
    @Max(1)
    @Default("0.9")
    @JsonPropertyDescription("Score (0 to 1) from which a comparison counts as agreement.")
    public Double agreementThreshold = 0.9;

    @Default("false")
    @JsonPropertyDescription("Hold the delegation where it is: no step taken, none rolled back.")
    public Boolean paused = false;

    @JsonPropertyDescription("An LLM that scores free-text answers' agreement. Empty: the router scores them itself (equal JSON values, tool "
            + "calls, or the token overlap of the text).")
    public JudgeSpec judge;

    @JsonPropertyDescription("Where the figures are read. Empty: from the router pods.")
    public AnalysisSpec analysis;

    /** Whether this delegation is a tournament (spec candidates or candidatesFrom) rather than a single candidate. */
    @com.fasterxml.jackson.annotation.JsonIgnore
    public boolean tournament() {
        return candidate == null && (candidatesFrom != null || candidates != null && !candidates.isEmpty());
    }

    /**
     * The candidates the spec names, in declared order: the single candidate, or the tournament's; none with
     * candidatesFrom (they are the evaluation's, known only once it is read).
     */
    @com.fasterxml.jackson.annotation.JsonIgnore
    public List<CandidateSpec> entrants() {
        if (candidate != null) {
            return List.of(candidate);
        }
        return candidates == null ? List.of() : candidates;
    }
}
