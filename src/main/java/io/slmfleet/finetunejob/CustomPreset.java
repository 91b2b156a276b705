package io.slmfleet.finetunejob;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.slmfleet.api.v1alpha1.FineTuneJob;
import io.slmfleet.api.v1alpha1.FineTuneJobSpec;

/**
 * The user's own image and command, run inside the same wrapper: it gets the training configuration file, the inputs
 * where the presets get them, and publishes through the same temporary directory and rename.
 */
final class CustomPreset implements TrainerPreset {

    @Override
    public String defaultImage(FineTuneSettings settings) {
        return null;
    }

    @Override
    public Optional<String> unsupported(FineTuneJobSpec spec, String image) {
        if (spec.trainer.image == null || spec.trainer.image.isEmpty() || spec.trainer.command.isEmpty()) {
            return Optional.of("the custom preset needs trainer.image and trainer.command");
        }
        return Optional.empty();
    }

    @Override
    public boolean preparesDataset() {
        return false;
    }

    @Override
    public String trainingSteps(FineTuneJob job) {
        List<String> command = new ArrayList<>(job.getSpec().trainer.command);
        command.addAll(job.getSpec().trainer.args);
        return """
                # Train: the custom trainer. It reads $SLMFLEET_CONFIG, writes adapter_config.json and
                # adapter_model.safetensors into $SLMFLEET_ADAPTER_DIR and may write its one-line JSON summary to
                # $SLMFLEET_SUMMARY; $SLMFLEET_RUN_DIR is its working space on the output volume.
                export SLMFLEET_ADAPTER_DIR="$STAGE" SLMFLEET_SUMMARY="$SUMMARY" SLMFLEET_RUN_DIR="$RUN"
                step %s
                """.formatted(Shell.quoteAll(command));
    }
}
