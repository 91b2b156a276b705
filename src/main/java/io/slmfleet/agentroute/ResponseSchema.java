package io.slmfleet.agentroute;

/** A route's response schema as read from its ConfigMap: a usable JSON Schema document, or why it is not one. */
public sealed interface ResponseSchema {

    /** @param document the schema as plain JSON values (maps, lists, scalars), as it goes into the routing table */
    record Usable(Object document) implements ResponseSchema {
    }

    record Unusable(InputProblem problem) implements ResponseSchema {
    }
}
