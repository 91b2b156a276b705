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
     * @param targets the ready targets with their effective weights; empty when none is ready
     * @param timeoutMillis time a target has to answer (to the first byte when streaming)
     * @param retries further picks before anything reached the caller
     * @param responseSchema the JSON Schema document answers must satisfy, or null
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Route(String task, List<Target> targets, long timeoutMillis, int retries, Object responseSchema) {
        public Route {
            targets = targets == null ? List.of() : List.copyOf(targets);
        }
    }

    /**
     * @param specialist the SLMSpecialist's name
     * @param adapter the LoRA adapter's name, or null for the base model
     * @param endpoint OpenAI-compatible base URL, ending in /v1
     * @param model what the request's model field is rewritten to: the adapter name, or the base model
     * @param weight effective weight, above 0
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
