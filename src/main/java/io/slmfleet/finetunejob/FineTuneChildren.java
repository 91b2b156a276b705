package io.slmfleet.finetunejob;

import java.util.List;
import java.util.Optional;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.slmfleet.api.v1alpha1.FineTuneJob;

/**
 * What a FineTuneJob reconciles into, computed purely from it and the operator's settings: the training configuration
 * and, per attempt, the training Job. The reconciler applies them; the offline render and the golden tests print them.
 */
public final class FineTuneChildren {

    private FineTuneChildren() {
    }

    /** Why the chosen preset cannot run this FineTuneJob, or empty. */
    public static Optional<String> unsupported(FineTuneJob job, FineTuneSettings settings) {
        return TrainerPreset.of(job.getSpec().trainer.preset).unsupported(job.getSpec(), image(job, settings));
    }

    /** trainer.image, or the preset's pinned default. */
    public static String image(FineTuneJob job, FineTuneSettings settings) {
        String image = job.getSpec().trainer.image;
        return image != null && !image.isEmpty() ? image
                : TrainerPreset.of(job.getSpec().trainer.preset).defaultImage(settings);
    }

    public static ConfigMap configMap(FineTuneJob job, FineTuneSettings settings) {
        return TrainingConfigMap.desired(job, image(job, settings));
    }

    public static Job job(FineTuneJob job, int attempt, FineTuneSettings settings) {
        return TrainingJob.desired(job, attempt, image(job, settings), settings);
    }

    /** The configuration and the first attempt's Job, in the order they are created. */
    public static List<HasMetadata> firstAttempt(FineTuneJob job, FineTuneSettings settings) {
        return List.of(configMap(job, settings), job(job, 1, settings));
    }
}
