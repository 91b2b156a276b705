package io.slmfleet.router;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import io.slmfleet.config.OperatorConfig;
import io.slmfleet.router.table.ActiveTable;
import io.slmfleet.router.table.RoutingTableSource;

/**
 * Router mode: ready once a valid routing table is loaded. A later broken table keeps the pod ready (it serves the
 * last good one) and shows up here as {@code problem}. In other modes there is nothing to report.
 */
@Readiness
@ApplicationScoped
public class RouterReadiness implements HealthCheck {

    private final OperatorConfig config;
    private final RouterServer server;

    public RouterReadiness(OperatorConfig config, RouterServer server) {
        this.config = config;
        this.server = server;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("slm-fleet router");
        if (config.mode() != OperatorConfig.Mode.router) {
            return response.up().withData("mode", config.mode().name()).build();
        }
        RoutingTableSource tables = server.tables();
        if (tables == null) {
            return response.down().withData("problem", "the router's routes are not registered").build();
        }
        ActiveTable table = tables.current();
        if (table != null) {
            response.withData("table", table.hash()).withData("agentRoute", String.valueOf(table.source().route()))
                    .withData("routes", table.routes().size());
            table.warnings().forEach(warning -> response.withData("warning", warning));
        }
        String problem = tables.problem();
        if (problem != null) {
            response.withData("problem", problem);
        }
        return response.status(table != null).build();
    }
}
