package io.slmfleet.economics;

/**
 * The GPUs an SLMSpecialist holds.
 *
 * @param product the nvidia.com/gpu.product it runs on; null when its spec accepts any product
 * @param migProfile the MIG profile of its slices (e.g. 1g.10gb), or null for whole GPUs
 * @param gpusPerReplica GPUs (or MIG slices) per replica
 * @param replicas replicas running
 */
public record SpecialistGpus(String specialist, String product, String migProfile, int gpusPerReplica, int replicas) {
}
