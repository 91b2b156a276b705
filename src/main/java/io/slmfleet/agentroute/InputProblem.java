package io.slmfleet.agentroute;

/**
 * Something wrong with what the user wrote or referenced (not a target that is merely not ready yet): while there is
 * one, the last good routing table keeps serving.
 *
 * @param reason a condition reason, e.g. SpecialistNotFound
 * @param message a user-facing sentence; it never holds a secret value
 */
public record InputProblem(String reason, String message) {

    public static final String SPECIALIST_NOT_FOUND = "SpecialistNotFound";
    public static final String ADAPTER_NOT_LISTED = "AdapterNotListed";
    public static final String RESPONSE_SCHEMA_NOT_FOUND = "ResponseSchemaNotFound";
    public static final String INVALID_RESPONSE_SCHEMA = "InvalidResponseSchema";
    public static final String SECRET_NOT_FOUND = "SecretNotFound";
}
