package io.slmfleet.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.slmfleet.config.OperatorConfig;

class OperatorLeaderElectionTest {

    record Settings(boolean enabled, String leaseName, Optional<String> leaseNamespace)
            implements OperatorConfig.LeaderElection {
    }

    @Test
    void noConfigurationWhenDisabledSoTheOperatorRunsWithoutLease() {
        assertThat(OperatorLeaderElection.configuration(new Settings(false, "slm-fleet-leader", Optional.of("ops"))))
                .isNull();
    }

    @Test
    void leaseNameAndNamespaceFromTheSettings() {
        LeaderElectionConfiguration configuration = OperatorLeaderElection.configuration(
                new Settings(true, "slm-fleet-leader", Optional.of("ops")));

        assertThat(configuration.getLeaseName()).isEqualTo("slm-fleet-leader");
        assertThat(configuration.getLeaseNamespace()).contains("ops");
        assertThat(configuration.isExitOnStopLeading()).isTrue();
    }

    @Test
    void leaseNamespaceLeftToTheClientWhenNotSet() {
        LeaderElectionConfiguration configuration = OperatorLeaderElection.configuration(
                new Settings(true, "slm-fleet-leader", Optional.empty()));

        assertThat(configuration.getLeaseNamespace()).isEmpty();
    }
}
