package io.slmfleet.curation;

/**
 * Why a line of the input did not become an example, in the order the checks run; the names are the keys of
 * {@code records.dropped} in the manifest and the summary.
 */
public enum DropReason {
    /** Not JSON, not an object, a line longer than {@link LineReader#MAX_LINE_BYTES}, or no answer to read. */
    malformed,
    /** A {@code schemaVersion} other than the one the router writes ({@value UsageRecord#SCHEMA_VERSION}). */
    otherSchemaVersion,
    /** Outside the route, tasks or time window asked for, or a completions (prompt) record with no chat messages. */
    notSelected,
    /** The caller got no successful answer: status other than 200, or an outcome other than ok or invalid_output. */
    error,
    /** Labels {@code teacher}: an answer the fallback LLM did not give. */
    notTeacher,
    /**
     * Outcome {@code invalid_output} (failed the route's response schema), tool-call arguments that are not JSON, or
     * content that is not JSON when the request asked for a JSON response format.
     */
    invalidOutput,
    /** Fewer user-text characters than {@code minChars}. */
    tooShort,
    /** More tokens than {@code maxTokens}. */
    tooLong,
    /** The same user turns (or, with near dedup, nearly the same) as an example kept earlier. */
    duplicate
}
