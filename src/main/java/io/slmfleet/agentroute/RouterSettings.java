package io.slmfleet.agentroute;

import io.slmfleet.config.OperatorConfig;

/** The operator-wide settings a router workload depends on. */
public record RouterSettings(String defaultImage) {

    public static RouterSettings from(OperatorConfig config) {
        return new RouterSettings(config.image());
    }
}
