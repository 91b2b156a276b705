package io.slmfleet.install;

import java.util.Set;
import java.util.TreeSet;

/**
 * What the operator's code needs from the API server, the reference the chart's RBAC is compared with.
 * <p>
 * Written out by hand from the reconcilers' design until io.slmfleet.app.ApiAccess derives it from their own
 * declarations (informer kinds, applied child kinds, extra calls); then this class delegates to it.
 */
final class RequiredAccess {

    private static final String[] WATCH = {"get", "list", "watch"};
    /** Server-side apply of a child: patch, plus create when the object does not exist yet; delete when unwanted. */
    private static final String[] MANAGE = {"get", "list", "watch", "create", "patch", "delete"};

    private RequiredAccess() {
    }

    /** In every watched namespace (cluster-wide when all namespaces are watched). */
    static Set<Grant> namespaced() {
        Set<Grant> grants = new TreeSet<>();
        for (String kind : new String[] {"slmspecialists", "finetunejobs", "agentroutes"}) {
            add(grants, "slmfleet.io", kind, WATCH);
            add(grants, "slmfleet.io", kind + "/status", "patch");
        }
        add(grants, "apps", "deployments", MANAGE);
        add(grants, "", "services", MANAGE);
        add(grants, "", "persistentvolumeclaims", MANAGE);
        add(grants, "", "configmaps", MANAGE);
        add(grants, "autoscaling", "horizontalpodautoscalers", MANAGE);
        add(grants, "policy", "poddisruptionbudgets", MANAGE);
        add(grants, "batch", "jobs", MANAGE);
        add(grants, "monitoring.coreos.com", "servicemonitors", MANAGE);
        // pods: status diagnosis only; secrets: existence of a referenced Secret, never listed or watched
        add(grants, "", "pods", WATCH);
        add(grants, "", "secrets", "get");
        add(grants, "", "events", "create", "patch");
        return grants;
    }

    /** Cluster-scoped: whether the ServiceMonitor CRD is installed. */
    static Set<Grant> clusterScoped() {
        return Set.of(new Grant("apiextensions.k8s.io", "customresourcedefinitions", "get",
                "servicemonitors.monitoring.coreos.com"));
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

    private static void add(Set<Grant> grants, String group, String resource, String... verbs) {
        for (String verb : verbs) {
            grants.add(Grant.of(group, resource, verb));
        }
    }
}
