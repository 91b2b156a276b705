package io.slmfleet.slmspecialist;

import io.fabric8.kubernetes.api.model.HasMetadata;

/** The NIM container contract (NVIDIA NIM for LLMs), and the names of a specialist's children. */
public final class Nim {

    static final String APP = "nim";
    static final String CONTAINER = "nim";
    static final int PORT = 8000;
    static final String PORT_NAME = "http";
    static final String CACHE_PATH = "/opt/nim/.cache";
    static final String ADAPTERS_PATH = "/opt/nim/loras";
    static final String LIVE_PATH = "/v1/health/live";
    static final String READY_PATH = "/v1/health/ready";
    static final long UID = 1000L;

    private Nim() {
    }

    static String cacheClaimName(HasMetadata specialist) {
        return specialist.getMetadata().getName() + "-cache";
    }

    public static String endpoint(HasMetadata specialist) {
        return "http://" + specialist.getMetadata().getName() + "." + specialist.getMetadata().getNamespace() + ".svc:" + PORT
                + "/v1";
    }
}
