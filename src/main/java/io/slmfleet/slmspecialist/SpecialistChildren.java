package io.slmfleet.slmspecialist;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.slmfleet.api.v1alpha1.SLMSpecialist;

/**
 * Everything a specialist reconciles into, computed purely from the specialist, its resolved adapters and the
 * operator's settings. The reconciler applies it; the offline render prints it.
 */
public record SpecialistChildren(
        Deployment deployment,
        Service service,
        Optional<PersistentVolumeClaim> cache,
        Optional<HorizontalPodAutoscaler> autoscaler,
        Optional<ScaledObject> scaledObject,
        Optional<PodDisruptionBudget> disruptionBudget) {

    /** As on a cluster without KEDA: what the offline render, which has no cluster to ask, prints. */
    public static SpecialistChildren desired(SLMSpecialist specialist, ResolvedAdapters adapters, NimSettings settings) {
        return desired(specialist, adapters, settings,
                AutoscalingPlan.of(specialist.getSpec().autoscaling, AutoscalingPlan.Cluster.WITHOUT_KEDA));
    }

    public static SpecialistChildren desired(SLMSpecialist specialist, ResolvedAdapters adapters, NimSettings settings,
            Optional<AutoscalingPlan> autoscaling) {
        return new SpecialistChildren(
                NimDeployment.desired(specialist, adapters, settings),
                NimService.desired(specialist),
                CacheClaim.desired(specialist),
                NimAutoscaler.desired(specialist, autoscaling),
                KedaScaledObject.desired(specialist, autoscaling),
                NimDisruptionBudget.desired(specialist));
    }

    /** In the order a person would read (and a cluster would want) them: storage, workload, network, policies. */
    public List<HasMetadata> all() {
        List<HasMetadata> all = new ArrayList<>();
        cache.ifPresent(all::add);
        all.add(deployment);
        all.add(service);
        autoscaler.ifPresent(all::add);
        scaledObject.ifPresent(all::add);
        disruptionBudget.ifPresent(all::add);
        return all;
    }
}
