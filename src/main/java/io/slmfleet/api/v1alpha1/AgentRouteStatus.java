package io.slmfleet.api.v1alpha1;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.kubernetes.api.model.Condition;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class AgentRouteStatus {

    public enum Phase {
        Pending,
        Ready,
        Degraded,
        Failed
    }

    @JsonPropertyDescription("The metadata.generation this status describes.")
    public Long observedGeneration;

    @JsonPropertyDescription("Pending, Ready, Degraded (some targets unready or falling back) or Failed.")
    public Phase phase;

    @JsonPropertyDescription("sha256 of the routing table the router serves.")
    public String configHash;

    @JsonPropertyDescription("OpenAI-compatible base URL of the router inside the cluster.")
    public String endpoint;

    @JsonPropertyDescription("Every target with its endpoint, readiness and effective weight.")
    public List<TargetStatus> targets = new ArrayList<>();

    @JsonPropertyDescription("One entry per route with a delegation: where the candidate stands and why.")
    public List<DelegationStatus> delegations = new ArrayList<>();

    @JsonPropertyDescription("Every delegation in one line for kubectl's Delegations column, in route order: task, phase and "
            + "the candidate's live share, e.g. \"classification Promoted 100%, summarization RolledBack 0%\". A printer "
            + "column's JSONPath shows only the first match of a list, so the column reads this field instead.")
    public String delegationSummary;

    @JsonPropertyDescription("What the routes' traffic cost over the last window and what the LLM alone would have cost.")
    public Economics economics;

    @JsonPropertyDescription("Router pods that pass their readiness probe.")
    public Integer routerReadyReplicas;

    @JsonPropertyDescription("Ready, TargetsReady and RouterReady.")
    public List<Condition> conditions = new ArrayList<>();

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class TargetStatus {
        @JsonPropertyDescription("Route task.")
        public String task;
        @JsonPropertyDescription("SLMSpecialist.")
        public String specialist;
        @JsonPropertyDescription("Adapter, when one is targeted.")
        public String adapter;
        @JsonPropertyDescription("Specialist endpoint.")
        public String endpoint;
        @JsonPropertyDescription("Whether the specialist is Ready and, for an adapter, the adapter Mounted.")
        public Boolean ready;
        @JsonPropertyDescription("Weight the served routing table gives it, after redistributing the weights of unready targets; "
                + "0: it receives no traffic.")
        public Integer weight;
        @JsonPropertyDescription("Why it is not ready.")
        public String reason;
    }

    /** Where a route's delegation stands. */
    public enum DelegationPhase {
        /** The candidate is not Ready, or its adapter not Mounted: no traffic, no comparisons counted. */
        Waiting,
        /** 0 % of live traffic; only compared. */
        Shadowing,
        /** At one of the steps, collecting the figures to take the next. */
        Progressing,
        /** Every step passed: the candidate keeps the last step's share while the spec names it. */
        Promoted,
        /** A gate was clearly missed: the candidate gets no traffic while the spec names it. */
        RolledBack,
        /** spec delegation.paused: the share stays, no step is taken or rolled back. */
        Paused
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class DelegationStatus {
        @JsonPropertyDescription("Route task.")
        public String task;
        @JsonPropertyDescription("The candidate this delegation is about; a different one in the spec starts anew.")
        public CandidateSpec candidate;
        @JsonPropertyDescription("Waiting, Shadowing, Progressing, Promoted, RolledBack or Paused.")
        public DelegationPhase phase;
        @JsonPropertyDescription("Index in spec steps of the step the candidate is at (or was at when paused, waiting or rolled "
                + "back); absent while shadowing.")
        public Integer step;
        @JsonPropertyDescription("The candidate's share of live traffic, in percent.")
        public Integer weight;
        @JsonPropertyDescription("When the current step (or shadowing) started counting: its figures count from here.")
        public String stepStartTime;
        @JsonPropertyDescription("The figures of shadowing and each step taken, the current one last.")
        public List<StepFigures> steps = new ArrayList<>();
        @JsonPropertyDescription("The last decision and why.")
        public Decision lastDecision;
        @JsonPropertyDescription("A tournament (spec candidates or candidatesFrom): when its candidates started being "
                + "shadowed; each candidate's figures count from here. Absent for a single candidate.")
        public String tournamentStartTime;
        @JsonPropertyDescription("A tournament (spec candidates or candidatesFrom): where each candidate stands, in declared "
                + "order (an evaluation's: cheapest first); candidate above is the chosen one (absent before a choice). Absent "
                + "for a single candidate.")
        public List<TournamentCandidate> candidates;
    }

    /** One candidate of a tournament: its state, why, and its figures since the tournament started. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class TournamentCandidate {
        @JsonPropertyDescription("SLMSpecialist.")
        public String specialist;
        @JsonPropertyDescription("Adapter; absent for the base model.")
        public String adapter;
        @JsonPropertyDescription("Competing, Eliminated, NotChosen, Chosen or RolledBack.")
        public String state;
        @JsonPropertyDescription("Why, in one word.")
        public String reason;
        @JsonPropertyDescription("Why, in a sentence.")
        public String message;
        @JsonPropertyDescription("Comparisons since the tournament started.")
        public Long comparisons;
        @JsonPropertyDescription("Share of comparisons that agree.")
        public Double agreement;
        @JsonPropertyDescription("Lower confidence bound on agreement.")
        public Double agreementLower;
        @JsonPropertyDescription("Upper confidence bound on agreement.")
        public Double agreementUpper;
        @JsonPropertyDescription("Share of the candidate's calls that failed.")
        public Double errorRate;
        @JsonPropertyDescription("Upper confidence bound on the error rate.")
        public Double errorRateUpper;
        @JsonPropertyDescription("Share of the candidate's answers the response schema rejected.")
        public Double invalidOutputRate;
        @JsonPropertyDescription("Upper confidence bound on the invalid-output rate.")
        public Double invalidOutputRateUpper;
        @JsonPropertyDescription("Candidate latency over the reference's.")
        public Double latencyRatio;
        @JsonPropertyDescription("The cost the tournament ranked the candidate by (cheapest first); absent: unknown, ranked "
                + "dearest. Its unit is costSource's.")
        public Double cost;
        @JsonPropertyDescription("Where cost came from: GpuPricePerHour (the operator's economics price of the specialist's "
                + "GPUs per hour, a ranking key, not a measured cost per 1k requests), EvaluationJob (USD per 1,000 requests "
                + "the candidatesFrom evaluation measured) or Unknown.")
        public String costSource;
    }

    /** A step's comparisons and the confidence bounds the gates were checked on. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class StepFigures {
        @JsonPropertyDescription("Index in spec steps; absent for shadowing.")
        public Integer step;
        @JsonPropertyDescription("Candidate's live share during it, in percent.")
        public Integer weight;
        @JsonPropertyDescription("Comparisons the candidate took part in: agreed, disagreed, invalid or failed.")
        public Long comparisons;
        @JsonPropertyDescription("Share of judged comparisons that agreed.")
        public Double agreement;
        @JsonPropertyDescription("Lower confidence bound of the agreement.")
        public Double agreementLower;
        @JsonPropertyDescription("Upper confidence bound of the agreement.")
        public Double agreementUpper;
        @JsonPropertyDescription("Share of the candidate's calls that failed.")
        public Double errorRate;
        @JsonPropertyDescription("Upper confidence bound of the error rate.")
        public Double errorRateUpper;
        @JsonPropertyDescription("Share of the candidate's answers that failed the response schema.")
        public Double invalidOutputRate;
        @JsonPropertyDescription("Upper confidence bound of the invalid-output rate.")
        public Double invalidOutputRateUpper;
        @JsonPropertyDescription("Candidate p95 latency over the trusted targets' p95; absent until both served live traffic.")
        public Double latencyRatio;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class Decision {
        @JsonPropertyDescription("Wait, Shadow, Hold, Step, Promote, RollBack or Pause.")
        public String action;
        @JsonPropertyDescription("One word, e.g. GatesPassed, AgreementBelowGate, AnalysisUnavailable, CandidateNotReady.")
        public String reason;
        @JsonPropertyDescription("The decision with its figures, in a sentence.")
        public String message;
        @JsonPropertyDescription("When it was taken (RFC 3339).")
        public String time;
    }

    /** Traffic and cost figures; costs in USD, rounded to 3 significant digits, absent when a price is missing. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class EconomicsFigures {
        @JsonPropertyDescription("Requests the SLMSpecialists answered.")
        public Long slmRequests;
        @JsonPropertyDescription("Requests the fallback LLM answered.")
        public Long llmRequests;
        @JsonPropertyDescription("Input and output tokens of the SLMSpecialists' answers.")
        public Long slmTokens;
        @JsonPropertyDescription("Input and output tokens of the fallback LLM's answers.")
        public Long llmTokens;
        @JsonPropertyDescription("Share of answered requests the SLMSpecialists answered, in percent.")
        public Integer slmShare;
        @JsonPropertyDescription("Shadow calls to the fallback LLM (the teacher) comparing a delegation's candidate, answered "
                + "with 2xx: paid LLM calls, not answers. Absent: none in the window.")
        public LlmSpend shadowLlm;
        @JsonPropertyDescription("Calls to a delegation's judge, answered with 2xx: paid LLM calls, not answers. Absent: none in "
                + "the window.")
        public LlmSpend judgeLlm;
        @JsonPropertyDescription("The LLM spend: the fallback LLM's answers, shadowLlm and judgeLlm at their prices (in the "
                + "AgentRoute's total, unknownTask too).")
        public Double llmCost;
        @JsonPropertyDescription("The specialists' GPU time, apportioned by the tokens they served, plus llmCost.")
        public Double estimatedCost;
        @JsonPropertyDescription("What the answered tokens would have cost at the LLM's prices (no shadow or judge calls).")
        public Double allLlmCost;
        @JsonPropertyDescription("allLlmCost over estimatedCost: how many times cheaper than the LLM alone.")
        public Double savingsRatio;
        @JsonPropertyDescription("estimatedCost per 1000 answered requests.")
        public Double costPer1kRequests;
    }

    /** Paid LLM calls that are a line of their own: shadow calls, judge calls, answers to unknown tasks. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class LlmSpend {
        @JsonPropertyDescription("Calls answered.")
        public Long requests;
        @JsonPropertyDescription("Their input and output tokens.")
        public Long tokens;
        @JsonPropertyDescription("Their tokens at the LLM's prices, in USD; absent when a price is missing.")
        public Double cost;
    }

    /** One route's economics. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class RouteEconomics extends EconomicsFigures {
        @JsonPropertyDescription("Route task.")
        public String task;
    }

    /** The AgentRoute's economics: all routes together, then each route. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class Economics extends EconomicsFigures {
        @JsonPropertyDescription("Length of the window the figures cover (ISO 8601, e.g. PT1H).")
        public String window;
        @JsonPropertyDescription("Start of the window (RFC 3339).")
        public String since;
        @JsonPropertyDescription("When the router's metrics were last read (RFC 3339): the figures' age is now minus this.")
        public String readTime;
        @JsonPropertyDescription("True when the router's metrics could not be read since readTime: the figures are the last known.")
        public Boolean stale;
        @JsonPropertyDescription("The prices the costs lack, each naming what needs it; absent when every cost is known.")
        public String pricesMissing;
        @JsonPropertyDescription("Requests no route matched (or naming no task) that the fallback LLM answered (unknownTask): "
                + "the AgentRoute's, in its llmRequests, llmTokens, llmCost and estimatedCost. Absent: none in the window.")
        public LlmSpend unknownTask;
        @JsonPropertyDescription("Each route's figures.")
        public List<RouteEconomics> routes = new ArrayList<>();
    }
}
