package io.slmfleet.routing;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The routing table an AgentRoute renders into and the router serves: the operator writes it, the router reads it.
 * It holds no secret value: the fallback's key is named by the environment variable the router reads it from.
 *
 * @param apiVersion {@link #API_VERSION}; a router refuses a table of another version
 * @param route the AgentRoute it was rendered from, as namespace/name
 * @param routes one entry per task, in the AgentRoute's order
 * @param fallback the large LLM, or null when the AgentRoute has none
 * @param usageCapture what to record for fine-tuning
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RoutingTable(String apiVersion, String route, List<Route> routes, Fallback fallback, UsageCapture usageCapture) {

    public static final String API_VERSION = "slmfleet.io/routing-table/v1";

    public RoutingTable {
        routes = routes == null ? List.of() : List.copyOf(routes);
    }

    /**
     * @param task the task name (header x-agent-task, or model alias task/&lt;task&gt;)
     * @param targets the ready (trusted) targets with their effective weights; when empty, the fallback serves the
     *        route as normal traffic
     * @param timeoutMillis time a target has to answer (to the first byte when streaming)
     * @param retries further picks before anything reached the caller
     * @param responseSchema the JSON Schema document answers must satisfy, or null
     * @param delegation a candidate compared against the reference on live traffic, or null; tables written before
     *        delegation existed have none
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Route(String task, List<Target> targets, long timeoutMillis, int retries, Object responseSchema,
            Delegation delegation) {
        public Route {
            targets = targets == null ? List.of() : List.copyOf(targets);
        }

        /** A route without delegation. */
        public Route(String task, List<Target> targets, long timeoutMillis, int retries, Object responseSchema) {
            this(task, targets, timeoutMillis, retries, responseSchema, null);
        }
    }

    /**
     * A candidate (a specialist or adapter not yet trusted) that takes a live share of the route and is compared
     * against the reference on a sample of requests.
     *
     * @param candidate the candidate target; its weight is its live weight in the route's pick, 0 for comparisons only
     * @param reference {@link #REFERENCE_FALLBACK} (the default when null) or {@link #REFERENCE_TARGETS}
     * @param shadowRate share of requests compared, in [0, 1]
     * @param agreementThreshold a comparison agrees when its score is at least this, in [0, 1]
     * @param judge the LLM that scores free-text answers, or null for token F1
     * @param contenders a tournament's other candidates still competing: weight 0, each compared on the same sampled
     *        requests as the candidate (one reference call for all); empty for a single candidate (left out of the file)
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Delegation(Target candidate, String reference, double shadowRate, double agreementThreshold,
            Judge judge, @JsonInclude(JsonInclude.Include.NON_EMPTY) List<Target> contenders) {

        /** The fallback LLM is the teacher the candidate is compared against. */
        public static final String REFERENCE_FALLBACK = "fallback";
        /** The route's trusted targets are the reference. */
        public static final String REFERENCE_TARGETS = "targets";

        public Delegation {
            reference = reference == null ? REFERENCE_FALLBACK : reference;
            contenders = contenders == null ? List.of() : List.copyOf(contenders);
        }

        /** A delegation of one candidate. */
        public Delegation(Target candidate, String reference, double shadowRate, double agreementThreshold, Judge judge) {
            this(candidate, reference, shadowRate, agreementThreshold, judge, List.of());
        }
    }

    /**
     * An OpenAI-compatible LLM that grades a candidate's free-text answer against the reference's.
     *
     * @param apiKeyEnv the environment variable holding its API key, or null when it needs none
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Judge(String endpoint, String model, String apiKeyEnv) {
    }

    /**
     * @param specialist the SLMSpecialist's name
     * @param adapter the LoRA adapter's name, or null for the base model
     * @param endpoint OpenAI-compatible base URL, ending in /v1
     * @param model what the request's model field is rewritten to: the adapter name, or the base model
     * @param weight effective weight, above 0 (a delegation's candidate may have 0: compared, never picked)
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Target(String specialist, String adapter, String endpoint, String model, int weight) {
    }

    /**
     * @param endpoint OpenAI-compatible base URL of the LLM
     * @param model the model sent to it
     * @param apiKeyEnv the environment variable holding its API key, or null when it needs none
     * @param on the reasons that send a request to the fallback
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Fallback(String endpoint, String model, String apiKeyEnv, List<FallbackReason> on) {
        public Fallback {
            on = on == null ? List.of() : List.copyOf(on);
        }

        public boolean covers(FallbackReason reason) {
            return on.contains(reason);
        }
    }

    /**
     * @param enabled whether records are written
     * @param sampleRate share of requests recorded, in [0, 1]
     * @param redactPII whether personal data is redacted before anything is written
     * @param directory where the JSON Lines files go, inside the router pod
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record UsageCapture(boolean enabled, double sampleRate, boolean redactPII, String directory) {
        public static final UsageCapture DISABLED = new UsageCapture(false, 0, true, null);
    }

    public enum FallbackReason {
        error,
        timeout,
        invalidOutput,
        unknownTask
    }
}
