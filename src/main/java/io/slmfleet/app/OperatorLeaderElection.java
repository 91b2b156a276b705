package io.slmfleet.app;

import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfigurationBuilder;
import io.slmfleet.config.OperatorConfig;

/**
 * Leader election for the operator. quarkus-operator-sdk looks up a {@link LeaderElectionConfiguration} bean when it
 * builds the operator (in the prod profile only, see quarkus.operator-sdk.activate-leader-election-for-profiles) and
 * runs without leader election when there is none: this producer yields one only when
 * {@code slmfleet.leader-election.enabled} is true. Every replica keeps its informers warm; only the Lease holder
 * processes events, and a leader that loses the Lease exits so that its pod restarts as a follower.
 */
@Singleton
public class OperatorLeaderElection {

    @Produces
    @Dependent
    LeaderElectionConfiguration leaderElectionConfiguration(OperatorConfig config) {
        return configuration(config.leaderElection());
    }

    /** The configuration for these settings, or null when leader election is off (no bean: QOSDK skips it). */
    static LeaderElectionConfiguration configuration(OperatorConfig.LeaderElection settings) {
        if (!settings.enabled()) {
            return null;
        }
        return LeaderElectionConfigurationBuilder.aLeaderElectionConfiguration(settings.leaseName())
                .withLeaseNamespace(settings.leaseNamespace().orElse(null))
                .build();
    }
}
