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

    /** "Number of requests currently running on GPU." */
    public static final String REQUESTS_RUNNING = "num_requests_running";

    /** "GPU KV-cache usage. 1 means 100 percent usage." */
    public static final String GPU_CACHE_USAGE = "gpu_cache_usage_perc";

    /** The count of the histogram of end-to-end request latency: one per finished request. */
    public static final String FINISHED_REQUESTS = "e2e_request_latency_seconds_count";

    private NimMetrics() {
    }
}
