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

/** quarkus-operator-sdk picks up the Lease settings from slmfleet.leader-election.* (as the Helm chart sets them). */
@QuarkusTest
@WithKubernetesTestServer
@TestProfile(OperatorLeaderElectionWiringTest.LeaderElectionOn.class)
class OperatorLeaderElectionWiringTest {

    public static class LeaderElectionOn implements QuarkusTestProfile {

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    // QOSDK activates leader election in the prod profile only; include this test's profile
                    "quarkus.operator-sdk.activate-leader-election-for-profiles", "test",
                    // inspect the configuration without starting the reconcilers
                    "slmfleet.mode", "render",
                    "slmfleet.leader-election.enabled", "true",
                    "slmfleet.leader-election.lease-name", "slm-fleet-leader",
                    "slmfleet.leader-election.lease-namespace", "slm-fleet");
        }
    }

    @Inject
    QuarkusConfigurationService configuration;

    @Test
    void operatorSdkCompetesForTheConfiguredLease() {
        assertThat(configuration.getLeaderElectionConfiguration()).hasValueSatisfying(leaderElection -> {
            assertThat(leaderElection.getLeaseName()).isEqualTo("slm-fleet-leader");
            assertThat(leaderElection.getLeaseNamespace()).contains("slm-fleet");
        });
    }
}
