package io.slmfleet.install;

import java.util.Set;
import java.util.TreeSet;

import io.slmfleet.app.ApiAccess;

/**
 * What the operator's code needs from the API server, the reference the chart's RBAC is compared with: the namespaced
 * rules come from {@link ApiAccess}, derived from the reconcilers' own declarations; leader election's Lease is the
 * operator's only other need.
 */
final class RequiredAccess {

    private RequiredAccess() {
    }

    /** In every watched namespace (cluster-wide when all namespaces are watched). */
    static Set<Grant> namespaced() {
        Set<Grant> grants = new TreeSet<>();
        for (ApiAccess.Rule rule : ApiAccess.required()) {
            rule.verbs().forEach(verb -> grants.add(Grant.of(rule.apiGroup(), rule.resource(), verb)));
        }
        return grants;
    }

    /**
     * In the operator's namespace, with leader election: java-operator-sdk checks create, get and update on the Lease
     * before it starts (LeaderElectionManager.checkLeaseAccess).
     */
    static Set<Grant> leaderElection(String leaseName) {
        return Set.of(
                Grant.of("coordination.k8s.io", "leases", "create"),
                new Grant("coordination.k8s.io", "leases", "get", leaseName),
                new Grant("coordination.k8s.io", "leases", "update", leaseName));
    }
}
