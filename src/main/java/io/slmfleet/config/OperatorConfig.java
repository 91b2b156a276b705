package io.slmfleet.config;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import io.quarkus.runtime.configuration.MemorySize;
import io.slmfleet.routing.RouterContract;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Every setting of the operator and the router, under the prefix {@code slmfleet}. */
@ConfigMapping(prefix = "slmfleet")
public interface OperatorConfig {

    /**
     * What this process runs: the operator, the agent router, an offline render, or a curation (the CurationJob's pod,
     * or by hand). Set by the first argument.
     */
    @WithDefault("operator")
    Mode mode();

    /** The operator's own image: the default router image (started in router mode). */
    @WithDefault("ghcr.io/slmfleet/slm-fleet-operator:0.1.0")
    String image();

    /**
     * Secrets are not watched (the operator may not list them), so a resource waiting for a missing Secret is
     * reconciled again after this delay.
     */
    @WithDefault("30s")
    Duration missingReferenceRecheck();

    /** NIM serving defaults. */
    Nim nim();

    /** Leader election between operator replicas (the Helm chart turns it on with more than one replica). */
    LeaderElection leaderElection();

    /** Fine-tuning defaults (FineTuneJob). */
    FineTune finetune();

    /** How the operator reads the figures of AgentRoute delegations. */
    Delegation delegation();

    /** Curation defaults (CurationJob). */
    Curation curation();

    /** Evaluation defaults (EvaluationJob). */
    Evaluation evaluation();

    /** What AgentRoutes' traffic costs: the window of status.economics and the GPU prices. */
    Economics economics();

    /** The agent router's data plane (router mode only). */
    RouterSettings router();

    /** How SLMSpecialists are autoscaled (docs/autoscaling.md). */
    Autoscaling autoscaling();

    enum Mode {
        operator,
        router,
        render,
        curate,
        evaluate
    }

    interface Nim {

        /** Budget for a NIM pod's first start (model download and engine build) before kubelet restarts it. */
        @WithDefault("60m")
        Duration startupBudget();

        /** Size of the memory-backed /dev/shm NIM needs for its inter-process buffers. */
        @WithDefault("16Gi")
        String sharedMemorySize();
    }

    interface LeaderElection {

        /** Reconcile only while holding the Lease, so that one replica acts at a time and the others stand by. */
        @WithDefault("false")
        boolean enabled();

        /** Name of the Lease (coordination.k8s.io) the replicas compete for. */
        @WithDefault("slm-fleet-operator-leader")
        String leaseName();

        /** Namespace of the Lease; by default the operator's own namespace (from its service account). */
        Optional<String> leaseNamespace();
    }

    interface FineTune {

        /** Image of the trl preset when trainer.image is empty: Hugging Face's TRL image, with the trl CLI. */
        @WithDefault("huggingface/trl:1.8.0")
        String trlImage();

        /** Image of the torchtune preset when trainer.image is empty: built from images/torchtune (torchtune publishes none). */
        @WithDefault("ghcr.io/slmfleet/trainer-torchtune:0.6.1")
        String torchtuneImage();

        /** Image of the nemo preset when trainer.image is empty: the NeMo Framework container (NeMo 2.4). */
        @WithDefault("nvcr.io/nvidia/nemo:25.07")
        String nemoImage();

        /** Size of the memory-backed /dev/shm of a training pod (PyTorch data loader workers, NCCL). */
        @WithDefault("16Gi")
        String sharedMemorySize();
    }

    interface Delegation {

        /** How often a delegation's figures are read and its gates checked while it compares or steps. */
        @WithDefault("30s")
        Duration analysisInterval();

        /** Time a router pod's /q/metrics or Prometheus has to answer; a pod that does not counts as unreadable. */
        @WithDefault("5s")
        Duration metricsTimeout();
    }

    interface Autoscaling {

        /**
         * Base URL of the Prometheus HTTP API that scrapes the NIM pods, which KEDA's Prometheus triggers query, e.g.
         * http://prometheus-operated.monitoring.svc:9090. Without it, requestsWaiting and kvCacheUsage run on an HPA
         * through a metrics adapter even where KEDA is installed.
         */
        Optional<String> prometheusAddress();

        /**
         * How long the API server's answer to "is KEDA's ScaledObject served?" is kept, and how soon a specialist whose
         * autoscaling waits for KEDA is reconciled again: KEDA installed later is picked up without a restart.
         */
        @WithDefault("1m")
        Duration discoveryInterval();
    }

    interface Economics {

        /** The span status.economics covers, ending now. */
        @WithDefault("1h")
        Duration window();

        /**
         * USD per hour of one whole GPU, by its nvidia.com/gpu.product label. The Helm chart's values give indicative
         * on-demand list prices, to be replaced by what you pay; without them there are none. A product without a price
         * leaves its specialists' costs unknown, never guessed.
         */
        Map<String, Double> gpuPricePerHour();

        /** USD per hour of one MIG slice, by profile (e.g. 1g.10gb); none by default, as a slice's price is yours to set. */
        Map<String, Double> migPricePerHour();
    }

    interface Curation {

        /** CPU of a curation pod, requested and its limit: curation reads and filters on one thread. */
        @WithDefault("1")
        String cpu();

        /**
         * Memory of a curation pod, requested and its limit; the JVM's heap takes half of it. Curation streams, so this
         * does not grow with the input (hashes of the kept records are the only thing it holds per record).
         */
        @WithDefault("768Mi")
        String memory();
    }

    interface Evaluation {

        /** CPU of an evaluation pod, requested and its limit: it waits on the candidates, it does not compute. */
        @WithDefault("500m")
        String cpu();

        /**
         * Memory of an evaluation pod, requested and its limit; the JVM's heap takes half of it, and holds the examples
         * (at most spec.limits.maxExamples of them) and one verdict per example and candidate.
         */
        @WithDefault("768Mi")
        String memory();
    }

    interface RouterSettings {

        /** The routing table file; kubelet swaps it in place when the ConfigMap changes. */
        @WithDefault(RouterContract.TABLE_FILE)
        String tableFile();

        /** How often the table and tokens files are checked for a change (by content hash). */
        @WithDefault("1s")
        Duration reloadInterval();

        /**
         * Callers' bearer tokens, one per line; set (by the router Deployment) only when authentication is on. While set,
         * a missing or unreadable file lets nobody in.
         */
        Optional<String> authTokensFile();

        /**
         * The port of the router's own HTTP server: the /v1 API, and /q/health and /q/metrics handed on to Quarkus'
         * routes. 0 picks a free port (tests).
         */
        @WithDefault("" + RouterContract.PORT)
        int port();

        /** Largest request body accepted (413 above). */
        @WithDefault("8M")
        MemorySize maxBodySize();

        /** Time the fallback LLM has to answer (to the first byte when streaming); routes carry their own. */
        @WithDefault("120s")
        Duration fallbackTimeout();

        /** Time to open a connection to a target or the fallback; counted inside their timeout. */
        @WithDefault("2s")
        Duration connectTimeout();

        /** Pooled keep-alive connections per upstream host and port. */
        @WithDefault("512")
        int maxConnectionsPerUpstream();

        /**
         * Shadow comparisons of delegation candidates running at once in this router (each waits for one or two shadow
         * calls, and a judge's); a sampled request beyond it is not compared and counts as verdict skipped.
         */
        @WithDefault("16")
        int shadowConcurrency();

        /** Usage capture (whether and how much is decided by the routing table). */
        Capture capture();

        interface Capture {

            /** Records waiting for the writer; when full, new records are dropped and counted. */
            @WithDefault("10000")
            int queueSize();

            /** A JSON Lines file is closed and a new one started once it reaches this size. */
            @WithDefault("64M")
            MemorySize maxFileSize();
        }
    }
}
