package io.slmfleet.slmspecialist;

import java.time.Duration;

import io.slmfleet.config.OperatorConfig;

/** The operator-wide NIM settings a specialist's desired state depends on. */
public record NimSettings(Duration startupBudget, String sharedMemorySize) {

    public static NimSettings from(OperatorConfig config) {
        return new NimSettings(config.nim().startupBudget(), config.nim().sharedMemorySize());
    }
}
