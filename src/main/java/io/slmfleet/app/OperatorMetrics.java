package io.slmfleet.app;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * java-operator-sdk's metrics per controller, not per resource. quarkus-operator-sdk's default
 * ({@code MicrometerMetricsProvider}) collects them per resource: counters and timers tagged with each resource's name
 * and namespace, kept until the resource is deleted. At 1,000 specialists that is tens of thousands of meters and
 * Prometheus series; in the scale benchmark they were the largest thing the operator's heap held besides its informer
 * caches, and every scrape of /q/metrics rendered them all (docs/e2e.md, "Measured here"). The totals per controller
 * (reconciliations started, succeeded, failed, retried; execution time; events received) stay; nothing in the chart's
 * dashboard or the docs reads a per-resource series. A specialist's own state is in its status and Events.
 */
@Singleton
public class OperatorMetrics {

    @Produces
    @Singleton
    Metrics operatorSdkMetrics(MeterRegistry registry) {
        return MicrometerMetrics.withoutPerResourceMetrics(registry);
    }
}
