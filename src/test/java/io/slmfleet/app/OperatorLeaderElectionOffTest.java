package io.slmfleet.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkiverse.operatorsdk.runtime.QuarkusConfigurationService;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;

/** Without slmfleet.leader-election.enabled, the operator runs without a Lease even where QOSDK would elect. */
@QuarkusTest
@WithKubernetesTestServer
@TestProfile(OperatorLeaderElectionOffTest.LeaderElectionOff.class)
class OperatorLeaderElectionOffTest {

    public static class LeaderElectionOff implements QuarkusTestProfile {

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "quarkus.operator-sdk.activate-leader-election-for-profiles", "test",
                    "slmfleet.mode", "render");
        }
    }

    @Inject
    QuarkusConfigurationService configuration;

    @Test
    void noLeaseWhenLeaderElectionIsOff() {
        assertThat(configuration.getLeaderElectionConfiguration()).isEmpty();
    }

    /** application.properties' default, also without the Helm chart: not java-operator-sdk's 50 (docs/e2e.md). */
    @Test
    void reconcilerPoolIsSizedToTheWorkNotTheSdkDefault() {
        assertThat(configuration.concurrentReconciliationThreads()).isEqualTo(10);
    }
}
