package io.slmfleet.economics;

import java.util.Map;
import java.util.Optional;

/**
 * GPU prices in USD per hour: a whole GPU by its nvidia.com/gpu.product, a MIG slice by its profile.
 */
public record GpuPrices(Map<String, Double> perProductHour, Map<String, Double> perMigProfileHour) {
    public GpuPrices {
        perProductHour = Map.copyOf(perProductHour);
        perMigProfileHour = Map.copyOf(perMigProfileHour);
    }

    /** @return the specialist's price per hour, all replicas; empty when its product or profile has no price */
    public Optional<Double> perHour(SpecialistGpus gpus) {
        Double unit = gpus.migProfile() != null ? perMigProfileHour.get(gpus.migProfile())
                : gpus.product() != null ? perProductHour.get(gpus.product()) : null;
        return Optional.ofNullable(unit).map(price -> price * gpus.gpusPerReplica() * gpus.replicas());
    }

    /** What price the specialist lacks, for a status message. */
    static String missing(SpecialistGpus gpus) {
        if (gpus.migProfile() != null) {
            return "MIG profile " + gpus.migProfile() + " (specialist " + gpus.specialist() + ")";
        }
        return gpus.product() != null ? "GPU product " + gpus.product() + " (specialist " + gpus.specialist() + ")"
                : "GPU product of specialist " + gpus.specialist() + " (its spec.gpu.product is empty: any product)";
    }
}
