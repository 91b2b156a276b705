package io.slmfleet.common;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;

/**
 * Builds a resource's next list of conditions from the previous one: a condition whose status did not change keeps its
 * lastTransitionTime, so a status rewritten with the same facts is byte-for-byte the same.
 */
public final class Conditions {

    public static final String TRUE = "True";
    public static final String FALSE = "False";
    public static final String UNKNOWN = "Unknown";

    private final List<Condition> previous;
    private final List<Condition> next = new ArrayList<>();
    private final long observedGeneration;
    private final Clock clock;

    public Conditions(List<Condition> previous, long observedGeneration, Clock clock) {
        this.previous = previous == null ? List.of() : previous;
        this.observedGeneration = observedGeneration;
        this.clock = clock;
    }

    public Conditions set(String type, boolean status, String reason, String message) {
        return set(type, status ? TRUE : FALSE, reason, message);
    }

    public Conditions set(String type, String status, String reason, String message) {
        String transitionTime = find(previous, type)
                .filter(old -> Objects.equals(old.getStatus(), status))
                .map(Condition::getLastTransitionTime)
                .orElseGet(this::now);
        next.removeIf(condition -> condition.getType().equals(type));
        next.add(new ConditionBuilder()
                .withType(type)
                .withStatus(status)
                .withReason(reason)
                .withMessage(message)
                .withLastTransitionTime(transitionTime)
                .withObservedGeneration(observedGeneration)
                .build());
        return this;
    }

    public List<Condition> build() {
        return List.copyOf(next);
    }

    /** The conditions whose status changed (or that are new) compared with the previous list. */
    public List<Condition> transitions() {
        return next.stream()
                .filter(condition -> find(previous, condition.getType())
                        .map(old -> !Objects.equals(old.getStatus(), condition.getStatus()))
                        .orElse(true))
                .toList();
    }

    public static Optional<Condition> find(List<Condition> conditions, String type) {
        return conditions == null ? Optional.empty()
                : conditions.stream().filter(condition -> type.equals(condition.getType())).findFirst();
    }

    public static boolean isTrue(List<Condition> conditions, String type) {
        return find(conditions, type).map(condition -> TRUE.equals(condition.getStatus())).orElse(false);
    }

    private String now() {
        return Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
