package io.slmfleet.delegation.figures;

import java.time.Instant;

import io.slmfleet.delegation.Candidate;

/**
 * The figures a delegation asks for: the comparisons of one route's candidate from the start of its current window
 * (shadowing or a step) until now.
 *
 * @param agentRoute the AgentRoute's name; its router pods are {@code <agentRoute>-router-...}
 * @param task the route's task: the router's route label
 */
public record FiguresWindow(String namespace, String agentRoute, String task, Candidate candidate, Instant start, Instant now) {
}
