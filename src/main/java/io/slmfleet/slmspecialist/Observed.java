package io.slmfleet.slmspecialist;

import java.util.List;
import java.util.Optional;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;

/**
 * What the reconciler saw of a specialist's world, the only input of its status besides the specialist itself.
 *
 * @param deployment the NIM Deployment, as the informer last saw it
 * @param pods the NIM pods, for the reasons a Deployment does not tell (unschedulable, image pull failures)
 * @param missingReferences referenced objects that do not exist, each a user-facing sentence
 * @param adapters the adapters resolved against their sources
 * @param autoscaling the engine chosen for spec.autoscaling (or why none is), empty without autoscaling
 */
public record Observed(Optional<Deployment> deployment, List<Pod> pods, List<String> missingReferences,
        ResolvedAdapters adapters, Optional<AutoscalingPlan> autoscaling) {
}
