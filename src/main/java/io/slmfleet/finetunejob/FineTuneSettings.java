package io.slmfleet.finetunejob;

import io.slmfleet.config.OperatorConfig;

/** The operator-wide fine-tuning settings a FineTuneJob's desired state depends on. */
public record FineTuneSettings(String trlImage, String torchtuneImage, String nemoImage, String sharedMemorySize) {

    public static FineTuneSettings from(OperatorConfig config) {
        OperatorConfig.FineTune finetune = config.finetune();
        return new FineTuneSettings(finetune.trlImage(), finetune.torchtuneImage(), finetune.nemoImage(),
                finetune.sharedMemorySize());
    }
}
