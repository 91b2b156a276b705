package io.slmfleet.economics;

import io.slmfleet.api.v1alpha1.SLMSpecialist;

/**
 * The GPUs an SLMSpecialist holds.
 *
 * @param product the nvidia.com/gpu.product it runs on; null when its spec accepts any product
 * @param migProfile the MIG profile of its slices (e.g. 1g.10gb), or null for whole GPUs
 * @param gpusPerReplica GPUs (or MIG slices) per replica
 * @param replicas replicas running
 */
public record SpecialistGpus(String specialist, String product, String migProfile, int gpusPerReplica, int replicas) {

    private static final String MIG_RESOURCE_PREFIX = "nvidia.com/mig-";

    /** The GPUs a specialist holds: whole GPUs of its product, or MIG slices of the profile in its resource name. */
    public static SpecialistGpus of(SLMSpecialist specialist) {
        var gpu = specialist.getSpec().gpu;
        String resource = gpu.resourceName == null ? "" : gpu.resourceName;
        String migProfile = resource.startsWith(MIG_RESOURCE_PREFIX) ? resource.substring(MIG_RESOURCE_PREFIX.length()) : null;
        String product = gpu.product == null || gpu.product.isEmpty() ? null : gpu.product;
        int replicas = specialist.getStatus() == null || specialist.getStatus().replicas == null ? 0
                : specialist.getStatus().replicas;
        return new SpecialistGpus(specialist.getMetadata().getName(), product, migProfile,
                gpu.count == null ? 1 : gpu.count, replicas);
    }
}
