package io.slmfleet.slmspecialist;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.slmfleet.api.v1alpha1.AutoscalingSpec;
import io.slmfleet.api.v1alpha1.AutoscalingSpec.Signal;
import io.slmfleet.api.v1alpha1.AutoscalingStatus.Engine;

/** Tier 1: the engine is what the cluster offers, never assumed; each signal has its documented default target. */
class AutoscalingPlanTest {

    private static final AutoscalingPlan.Cluster KEDA = new AutoscalingPlan.Cluster(true,
            Optional.of("http://prometheus.monitoring.svc:9090"));
    private static final AutoscalingPlan.Cluster KEDA_WITHOUT_PROMETHEUS = new AutoscalingPlan.Cluster(true, Optional.empty());

    @Test
    void cpuAndFreeFormMetricsStayOnTheHpaEvenWhereKedaIsServed() {
        assertThat(plan(Signal.cpu, 1, KEDA).engine()).isEqualTo(Engine.Hpa);
        assertThat(plan(Signal.cpu, 1, KEDA).target()).isEqualTo(80);
        assertThat(plan(Signal.metrics, 1, KEDA).engine()).isEqualTo(Engine.Hpa);
        assertThat(plan(Signal.metrics, 1, KEDA).target()).isNull();
    }

    @Test
    void nimSignalsRunOnKedaWhereItIsServedAndAPrometheusIsNamedElseOnTheHpa() {
        assertThat(plan(Signal.requestsWaiting, 1, KEDA).engine()).isEqualTo(Engine.Keda);
        assertThat(plan(Signal.kvCacheUsage, 1, KEDA).target()).isEqualTo(75);
        assertThat(plan(Signal.requestsWaiting, 1, KEDA_WITHOUT_PROMETHEUS).engine()).isEqualTo(Engine.Hpa);
        assertThat(plan(Signal.requestsWaiting, 1, AutoscalingPlan.Cluster.WITHOUT_KEDA).engine()).isEqualTo(Engine.Hpa);
        assertThat(plan(Signal.requestsWaiting, 1, AutoscalingPlan.Cluster.WITHOUT_KEDA).target()).isEqualTo(4);
    }

    @Test
    void kedaWithoutAKnownPrometheusLeavesTheNimSignalsOnTheHpa() {
        assertThat(plan(Signal.kvCacheUsage, 1, KEDA_WITHOUT_PROMETHEUS).engine()).isEqualTo(Engine.Hpa);
        assertThat(plan(Signal.kvCacheUsage, 1, KEDA_WITHOUT_PROMETHEUS).refusal()).isEmpty();
    }

    @Test
    void anAutoscalingSpecWithoutASignalMeansWhatItMeantBeforeSignals() {
        AutoscalingSpec cpu = spec(null, 1);
        assertThat(AutoscalingPlan.of(cpu, KEDA).orElseThrow().signal()).isEqualTo(Signal.cpu);
        AutoscalingSpec listed = spec(null, 1);
        listed.metrics = List.of(new io.fabric8.kubernetes.api.model.autoscaling.v2.MetricSpecBuilder().withType("Pods")
                .build());
        AutoscalingPlan metrics = AutoscalingPlan.of(listed, KEDA).orElseThrow();
        assertThat(metrics.signal()).isEqualTo(Signal.metrics);
        assertThat(metrics.engine()).isEqualTo(Engine.Hpa);
        assertThat(metrics.target()).isNull();
    }

    @Test
    void aTargetGivenInTheSpecWinsOverTheDefault() {
        AutoscalingSpec spec = spec(Signal.requestsWaiting, 1);
        spec.target = 10;
        assertThat(AutoscalingPlan.of(spec, KEDA).orElseThrow().target()).isEqualTo(10);
        assertThat(KedaScaledObject.threshold(AutoscalingPlan.of(spec(Signal.kvCacheUsage, 1), KEDA).orElseThrow()))
                .as("gpu_cache_usage_perc is a fraction").isEqualTo("0.75");
    }

    private static AutoscalingPlan plan(Signal signal, int minReplicas, AutoscalingPlan.Cluster cluster) {
        return AutoscalingPlan.of(spec(signal, minReplicas), cluster).orElseThrow();
    }

    private static AutoscalingSpec spec(Signal signal, int minReplicas) {
        AutoscalingSpec spec = new AutoscalingSpec();
        spec.signal = signal;
        spec.minReplicas = minReplicas;
        spec.maxReplicas = 3;
        return spec;
    }
}
