package io.slmfleet.delegation.figures;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;

class PrometheusTextTest {

    @Test
    void readsMicrometersExposition() {
        String exposition = """
                # HELP slmfleet_router_comparisons_total Shadow comparisons
                # TYPE slmfleet_router_comparisons_total counter
                slmfleet_router_comparisons_total{candidate="invoice-parser/invoice-v4",route="parsing",verdict="agree",} 97.0
                slmfleet_router_requests_seconds_bucket{outcome="ok",route="parsing",target="invoice-parser",le="+Inf"} 1.5E3
                slmfleet_router_table_reloads_total{result="loaded"} 2.0 1733140800000
                process_uptime_seconds 12.5
                odd_label{message="say \\"hi\\"\\nback\\\\slash"} NaN
                """;
        assertThat(PrometheusText.parse(exposition)).containsExactly(
                new PrometheusText.Sample("slmfleet_router_comparisons_total",
                        Map.of("candidate", "invoice-parser/invoice-v4", "route", "parsing", "verdict", "agree"), 97.0),
                new PrometheusText.Sample("slmfleet_router_requests_seconds_bucket",
                        Map.of("outcome", "ok", "route", "parsing", "target", "invoice-parser", "le", "+Inf"), 1500.0),
                new PrometheusText.Sample("slmfleet_router_table_reloads_total", Map.of("result", "loaded"), 2.0),
                new PrometheusText.Sample("process_uptime_seconds", Map.of(), 12.5),
                new PrometheusText.Sample("odd_label", Map.of("message", "say \"hi\"\nback\\slash"), Double.NaN));
    }

    @Test
    void refusesWhatIsNotAnExposition() {
        assertThatThrownBy(() -> PrometheusText.parse("# fine\n<html>Bad gateway</html>"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("line 2 is not a sample");
    }
}
