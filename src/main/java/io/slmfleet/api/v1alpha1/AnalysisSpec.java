package io.slmfleet.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** Where the operator reads a delegation's figures. */
public class AnalysisSpec {

    @JsonPropertyDescription("Read the router's metrics from this Prometheus. Empty: the operator reads each ready router "
            + "pod's /q/metrics itself.")
    public PrometheusSpec prometheus;

    public static class PrometheusSpec {

        @Required
        @Size(max = 2048)
        @Pattern("^https?://[^\\s]+$")
        @JsonPropertyDescription("Base URL of the Prometheus HTTP API, e.g. http://prometheus.monitoring.svc:9090.")
        public String address;
    }
}
