package io.slmfleet.agentroute;

/**
 * One target of an AgentRoute, resolved against the specialists of its namespace.
 *
 * @param task the route's task
 * @param specialist the SLMSpecialist's name
 * @param adapter the adapter's name, or null for the base model
 * @param weight the spec weight
 * @param ready whether the specialist is Ready and, for an adapter, the adapter is Mounted
 * @param endpoint the specialist's OpenAI-compatible base URL, or null when the specialist does not exist
 * @param model what the router sends as the request's model: the adapter, or the specialist's base model
 * @param reason why it is not ready (SpecialistNotFound, AdapterNotListed, SpecialistNotReady, AdapterNotMounted), or null
 * @param message the explanation of the reason, or null
 */
public record ResolvedTarget(String task, String specialist, String adapter, int weight, boolean ready, String endpoint,
        String model, String reason, String message) {

    public static final String SPECIALIST_NOT_READY = "SpecialistNotReady";
    public static final String ADAPTER_NOT_MOUNTED = "AdapterNotMounted";
}
