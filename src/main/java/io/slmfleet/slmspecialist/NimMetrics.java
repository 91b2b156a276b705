package io.slmfleet.slmspecialist;

/**
 * The Prometheus metrics a NIM for LLMs serves, as NVIDIA documents them in "Observability for NVIDIA NIM for LLMs"
 * (https://docs.nvidia.com/nim/large-language-models/latest/observability.html): on the API port (8000) at
 * /v1/metrics, per model and updated every engine iteration. Pinned by AutoscalingContractTest.
 */
public final class NimMetrics {

    /** Where a NIM serves its metrics, on {@link Nim#PORT}. */
    public static final String PATH = "/v1/metrics";

    /** "Number of requests waiting to be processed." */
    public static final String REQUESTS_WAITING = "num_requests_waiting";

    /** "GPU KV-cache usage. 1 means 100 percent usage." */
    public static final String GPU_CACHE_USAGE = "gpu_cache_usage_perc";

    private NimMetrics() {
    }
}
