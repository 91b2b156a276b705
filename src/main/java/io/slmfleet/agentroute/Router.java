package io.slmfleet.agentroute;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.slmfleet.routing.RouterContract;

/** The names of an AgentRoute's children and the router workload's fixed settings. */
public final class Router {

    static final String APP = "agent-router";
    static final String CONTAINER = "router";
    static final String PORT_NAME = "http";
    /** The Service port: the container's, so the endpoint is the same inside and outside the pod. */
    static final int SERVICE_PORT = RouterContract.PORT;
    /** The user of the operator image (the Quarkus JVM image); fsGroup makes the usage claim writable for it. */
    static final long IMAGE_GROUP = 185L;

    /** On the router pod template: a new routing table rolls the pods, even if kubelet did not refresh the file. */
    public static final String CONFIG_HASH_ANNOTATION = "slmfleet.io/config-hash";

    /**
     * On the routing ConfigMap: {@code complete} when it was rendered from input without a problem, the only kind of
     * table the operator keeps serving while an input is broken; {@code partial} when it left broken parts out.
     */
    public static final String INPUT_ANNOTATION = "slmfleet.io/routing-table-input";
    static final String COMPLETE = "complete";
    static final String PARTIAL = "partial";

    private Router() {
    }

    public static String name(HasMetadata route) {
        return name(route.getMetadata().getName());
    }

    static String name(String agentRoute) {
        return agentRoute + "-router";
    }

    public static String configMapName(HasMetadata route) {
        return route.getMetadata().getName() + "-routing";
    }

    /** The router's OpenAI-compatible base URL inside the cluster. */
    public static String endpoint(HasMetadata route) {
        return "http://" + name(route) + "." + route.getMetadata().getNamespace() + ".svc:" + SERVICE_PORT + "/v1";
    }
}
