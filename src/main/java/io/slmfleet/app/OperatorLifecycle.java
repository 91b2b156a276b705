package io.slmfleet.app;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;

import io.javaoperatorsdk.operator.Operator;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.slmfleet.config.OperatorConfig;

/**
 * Starts the reconcilers in operator mode only (quarkus.operator-sdk.start-operator is off at build time, because the
 * same application also runs as the router and as an offline renderer, which must not touch a cluster).
 */
@ApplicationScoped
public class OperatorLifecycle {

    private final OperatorConfig config;
    private final Instance<Operator> operator;

    public OperatorLifecycle(OperatorConfig config, Instance<Operator> operator) {
        this.config = config;
        this.operator = operator;
    }

    void onStart(@Observes StartupEvent event) {
        if (config.mode() == OperatorConfig.Mode.operator) {
            operator.get().start();
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        if (config.mode() == OperatorConfig.Mode.operator && operator.isResolvable()) {
            operator.get().stop();
        }
    }
}
