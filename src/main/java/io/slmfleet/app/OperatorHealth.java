package io.slmfleet.app;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;

import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.RuntimeInfo;
import io.slmfleet.config.OperatorConfig;

/**
 * Liveness and readiness of the operator: down while the operator is not started or any controller's informer is
 * unhealthy (e.g. lost its watch and cannot list again). In router and render mode the operator does not run and
 * this check has nothing to say.
 */
@Liveness
@Readiness
@ApplicationScoped
public class OperatorHealth implements HealthCheck {

    private final OperatorConfig config;
    private final Instance<Operator> operator;

    public OperatorHealth(OperatorConfig config, Instance<Operator> operator) {
        this.config = config;
        this.operator = operator;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("slm-fleet operator");
        if (config.mode() != OperatorConfig.Mode.operator) {
            return response.up().withData("mode", config.mode().name()).build();
        }
        RuntimeInfo runtime = operator.get().getRuntimeInfo();
        boolean healthy = runtime.isStarted() && runtime.allEventSourcesAreHealthy();
        runtime.unhealthyEventSources().forEach((controller, sources) -> response.withData(controller,
                "unhealthy: " + String.join(", ", sources.keySet())));
        return response.status(healthy).withData("started", runtime.isStarted()).build();
    }
}
