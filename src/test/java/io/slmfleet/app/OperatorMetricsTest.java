package io.slmfleet.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.javaoperatorsdk.operator.api.reconciler.Constants;
import io.javaoperatorsdk.operator.processing.GroupVersionKind;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkiverse.operatorsdk.runtime.QuarkusConfigurationService;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.slmfleet.api.v1alpha1.SLMSpecialist;

/**
 * java-operator-sdk's meters are per controller: a finished reconciliation counts on its controller's counter and creates no
 * meter of its own resource (at 1,000 specialists those were the largest thing on the heap besides the caches).
 */
@QuarkusTest
@WithKubernetesTestServer
@TestProfile(OperatorLeaderElectionOffTest.LeaderElectionOff.class)
class OperatorMetricsTest {

    @Inject
    QuarkusConfigurationService configuration;

    @Inject
    MeterRegistry registry;

    @Test
    void reconciliationsAreCountedPerControllerNotPerResource() {
        SLMSpecialist specialist = new SLMSpecialist();
        specialist.setMetadata(new ObjectMetaBuilder().withName("metrics-probe").withNamespace("team-a").build());
        Map<String, Object> metadata = Map.of(Constants.RESOURCE_GVK_KEY, GroupVersionKind.gvkFor(SLMSpecialist.class),
                Constants.CONTROLLER_NAME, "slmspecialist");

        configuration.getMetrics().finishedReconciliation(specialist, metadata);

        assertThat(registry.find("operator.sdk.reconciliations.success").counters()).isNotEmpty();
        assertThat(registry.find("operator.sdk.reconciliations.success").tag("name", "metrics-probe").counters()).isEmpty();
        assertThat(registry.getMeters()).noneMatch(meter -> "metrics-probe".equals(meter.getId().getTag("name")));
    }
}
