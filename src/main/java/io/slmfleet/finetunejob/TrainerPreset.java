package io.slmfleet.finetunejob;

import java.util.Optional;

import io.slmfleet.api.v1alpha1.FineTuneJob;
import io.slmfleet.api.v1alpha1.FineTuneJobSpec;
import io.slmfleet.api.v1alpha1.TrainerSpec;

/**
 * A trainer the operator knows how to drive: it maps a FineTuneJob's method and hyperparameters onto one program's
 * command line. The wrapper script ({@link TrainerScript}) runs the preset's steps between its own preparation and
 * publication, so every preset only has to leave the adapter files in {@code $STAGE} and its summary in
 * {@code $SUMMARY}.
 */
interface TrainerPreset {

    /** The image when trainer.image is empty, or null when the user must give one (custom). */
    String defaultImage(FineTuneSettings settings);

    /**
     * Why this preset cannot run the spec on the image (a model it has no recipe for, a source it cannot read, a method
     * the image lacks the libraries for), or empty.
     */
    Optional<String> unsupported(FineTuneJobSpec spec, String image);

    /** Whether the wrapper prepares the dataset (train.jsonl and validation.jsonl under $SCRATCH/dataset) first. */
    default boolean preparesDataset() {
        return true;
    }

    /** Shell lines that train and leave adapter_config.json and adapter_model.safetensors in $STAGE. */
    String trainingSteps(FineTuneJob job);

    static TrainerPreset of(TrainerSpec.Preset preset) {
        return switch (preset) {
            case trl -> new TrlPreset();
            case torchtune -> new TorchtunePreset();
            case nemo -> new NemoPreset();
            case custom -> new CustomPreset();
        };
    }

    /**
     * What the built-in presets read: base weights from the Hugging Face Hub or a volume, and a dataset from a volume,
     * a ConfigMap or an https:// URL (which the wrapper downloads). Other sources are the custom preset's business.
     */
    static Optional<String> unsupportedSource(FineTuneJobSpec spec, String preset) {
        if (spec.baseModel.source.uri != null && Layout.huggingFaceRepo(spec.baseModel.source) == null) {
            return Optional.of("the " + preset + " preset loads base weights from hf:// or a volume, not from "
                    + spec.baseModel.source.uri + "; copy them to a volume or use the custom preset");
        }
        if (spec.dataset.uri != null && !spec.dataset.uri.startsWith("https://")) {
            return Optional.of("the " + preset + " preset reads a dataset from a volume, a ConfigMap or an https:// URL, not from "
                    + spec.dataset.uri + "; copy it to a volume or use the custom preset");
        }
        return Optional.empty();
    }
}
