package io.slmfleet.e2e.bench;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.slmfleet.api.v1alpha1.SLMSpecialist;
import io.slmfleet.api.v1alpha1.SLMSpecialistStatus.Phase;
import io.slmfleet.e2e.support.AuditLog;
import io.slmfleet.e2e.support.E2eHarness;
import io.slmfleet.e2e.support.OperatorProcess;
import io.slmfleet.e2e.support.TestCluster;
import io.slmfleet.install.HelmChart;
import io.slmfleet.render.Manifests;
import io.slmfleet.slmspecialist.NimSettings;
import io.slmfleet.slmspecialist.ResolvedAdapters;
import io.slmfleet.slmspecialist.SpecialistChildren;

/**
 * The operator's scale benchmark: prints figures, asserts nothing. For each N (-Dbench.sizes, default 100,500,1000):
 * <ol>
 * <li>the floor: a plain fabric8 loop creates N specialists and server-side applies their children (built by
 * {@link SpecialistChildren#desired}, as the operator builds them) with no operator running, then waits until every
 * Deployment is ready;</li>
 * <li>the operator (the packaged jar in its own JVM, started as the Helm chart's defaults start it, or with
 * -Dbench.operatorJvm): the same loop creates N specialists, and the time until all of them report Ready is measured;
 * then its write requests per specialist (from the audit log of a control plane started here), its writes in
 * -Dbench.quiet.seconds (default 60) of steady state, and its peak RSS and heap.</li>
 * </ol>
 * Deployments become ready through the fake kubelet: with kube-controller-manager, the real Deployment and ReplicaSet
 * controllers make pods that the scheduler (or the fake kubelet) places on fake GPU nodes and the fake kubelet reports
 * Ready; without it, the fake kubelet writes the Deployments' status directly. The output says which.
 * <p>
 * Run: {@code mvn -Pe2e package exec:java@bench -DskipTests [-Dbench.sizes=100,500,1000]} (docs/e2e.md).
 */
public final class ScaleBenchmark {

    private static final Duration CONVERGENCE_TIMEOUT = Duration.ofMinutes(30);
    private static final String FLOOR_FIELD_MANAGER = "bench-floor";
    /** The defaults of OperatorConfig.Nim: the children the operator would build with its default settings. */
    private static final NimSettings SETTINGS = new NimSettings(Duration.ofMinutes(60), "16Gi");

    private final E2eHarness harness;
    private final KubernetesClient client;
    private final TestCluster cluster;
    private final List<String> jvmOptions;
    private final Map<String, String> environment;
    private final long quietSeconds;

    private ScaleBenchmark(E2eHarness harness, List<String> jvmOptions, Map<String, String> environment, long quietSeconds) {
        this.harness = harness;
        this.client = harness.client();
        this.cluster = harness.cluster();
        this.jvmOptions = jvmOptions;
        this.environment = environment;
        this.quietSeconds = quietSeconds;
    }

    /**
     * The operator's JVM as the Helm chart's default values start it: the JAVA_OPTS, the allocator setting and the
     * reconciler pool's size of its container, and the container's memory and CPU limits as the JVM would see them inside it.
     */
    record ChartedJvm(List<String> options, Map<String, String> environment) {

        /** The size of the reconciler pool, which the chart gives the operator in its environment. */
        static final String RECONCILER_THREADS = "QUARKUS_OPERATOR_SDK_CONCURRENT_RECONCILIATION_THREADS";

        static ChartedJvm fromChart() {
            Container operator = HelmChart.parse(HelmChart.templateYaml("")).stream()
                    .filter(Deployment.class::isInstance).map(Deployment.class::cast)
                    .findFirst().orElseThrow().getSpec().getTemplate().getSpec().getContainers().get(0);
            Map<String, String> env = operator.getEnv().stream().filter(variable -> variable.getValue() != null)
                    .collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
            Map<String, Quantity> limits = operator.getResources().getLimits();
            List<String> options = new ArrayList<>();
            options.add("-XX:MaxRAM=" + Quantity.getAmountInBytes(limits.get("memory")).toBigInteger());
            options.add("-XX:ActiveProcessorCount="
                    + Quantity.getAmountInBytes(limits.get("cpu")).setScale(0, RoundingMode.CEILING).max(BigDecimal.ONE));
            options.addAll(List.of(env.get("JAVA_OPTS").trim().split("\\s+")));
            return new ChartedJvm(options, Map.of("MALLOC_ARENA_MAX", env.get("MALLOC_ARENA_MAX"),
                    RECONCILER_THREADS, env.get(RECONCILER_THREADS)));
        }
    }

    public static void main(String[] args) throws Exception {
        List<Integer> sizes = Arrays.stream(System.getProperty("bench.sizes", "100,500,1000").split(","))
                .map(String::trim).map(Integer::parseInt).toList();
        ChartedJvm charted = ChartedJvm.fromChart();
        String customJvm = System.getProperty("bench.operatorJvm");
        List<String> jvm = customJvm == null ? charted.options() : List.of(customJvm.trim().split("\\s+"));
        long quiet = Long.getLong("bench.quiet.seconds", 60);

        E2eHarness harness = E2eHarness.get();
        int gpus = 32;
        int largest = sizes.stream().max(Integer::compare).orElse(0);
        harness.kubelet().addGpuNodes("bench-gpu", (largest + gpus - 1) / gpus, "nvidia.com/gpu", gpus,
                E2eHarness.GPU_PRODUCT);

        ScaleBenchmark benchmark = new ScaleBenchmark(harness, jvm, charted.environment(), quiet);
        System.out.printf("%n[bench] target: %s%n", harness.cluster().describe());
        System.out.printf("[bench] Deployments become ready by: %s%n", harness.cluster().hasControllerManager()
                ? "kube-controller-manager's controllers making pods, placed by "
                        + (harness.cluster().hasScheduler() ? "kube-scheduler" : "the fake kubelet")
                        + " on fake GPU nodes and reported Ready by the fake kubelet"
                : "the fake kubelet writing each Deployment's status (no kube-controller-manager)");
        System.out.printf("[bench] operator JVM options (%s): %s; environment: %s; steady state observed for %d s%n",
                customJvm == null ? "the Helm chart's" : "-Dbench.operatorJvm", jvm, charted.environment(), quiet);
        List<String> rows = new ArrayList<>();
        for (int n : sizes) {
            Duration floor = benchmark.floor(n);
            rows.add(benchmark.operator(n, floor));
        }
        System.out.printf("%n%-6s %-9s %-9s %-6s %-14s %-12s %-13s %-14s%n", "N", "floor", "operator", "ratio",
                "writes/spec.", "steady", "peak RSS", "heap max/live");
        rows.forEach(System.out::println);
        System.exit(0);
    }

    /** The floor: the same objects applied by a plain loop, with no operator, until every Deployment is ready. */
    private Duration floor(int n) {
        String namespace = harness.createNamespace("bench-floor-" + n);
        client.resource(E2eHarness.secret(namespace, "ngc-api", "NGC_API_KEY")).create();
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            SLMSpecialist specialist = client.resource(specialist(namespace, i)).create();
            SpecialistChildren children = SpecialistChildren.desired(specialist,
                    ResolvedAdapters.resolve(specialist, job -> Optional.empty()), SETTINGS);
            for (HasMetadata child : children.all()) {
                client.resource(child).fieldManager(FLOOR_FIELD_MANAGER).forceConflicts().serverSideApply();
            }
        }
        Duration applied = Duration.ofNanos(System.nanoTime() - start);
        awaitCount(client.apps().deployments().inNamespace(namespace).inform(), ScaleBenchmark::isReady, n);
        Duration floor = Duration.ofNanos(System.nanoTime() - start);
        System.out.printf("[bench] N=%d floor: applied in %s, all Deployments ready after %s%n", n, seconds(applied),
                seconds(floor));
        deleteAndWait(namespace);
        return floor;
    }

    private String operator(int n, Duration floor) throws InterruptedException {
        String namespace = harness.createNamespace("bench-operator-" + n);
        client.resource(E2eHarness.secret(namespace, "ngc-api", "NGC_API_KEY")).create();
        Optional<AuditLog> audit = cluster.auditLog();
        try (OperatorProcess operator = OperatorProcess.start(cluster, Path.of("target/bench-operator-" + n + ".log"),
                jvmOptions, environment)) {
            AtomicLong heapMax = new AtomicLong();
            ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
            sampler.scheduleAtFixedRate(() -> {
                try {
                    heapMax.accumulateAndGet(operator.heapUsedBytes(), Math::max);
                } catch (RuntimeException e) {
                    // a busy operator may not answer one sample: the next one counts
                }
            }, 0, 1, TimeUnit.SECONDS);
            long mark = audit.map(AuditLog::mark).orElse(0L);
            SharedIndexInformer<SLMSpecialist> specialists = client.resources(SLMSpecialist.class).inNamespace(namespace)
                    .inform();
            long start = System.nanoTime();
            for (int i = 0; i < n; i++) {
                client.resource(specialist(namespace, i)).create();
            }
            awaitCount(specialists, ScaleBenchmark::isReady, n);
            Duration converged = Duration.ofNanos(System.nanoTime() - start);
            specialists.close();

            Thread.sleep(5000); // the last events of the convergence
            String writes = audit.map(log -> perSpecialist(log.writesSince(mark, TestCluster.Identity.OPERATOR.user),
                    namespace, n)).orElse("n/a (no audit log)");
            long quietMark = audit.map(AuditLog::mark).orElse(0L);
            Thread.sleep(quietSeconds * 1000);
            String steady = audit.map(log -> String.valueOf(log.writesSince(quietMark, TestCluster.Identity.OPERATOR.user)
                    .stream().filter(write -> namespace.equals(write.namespace())).count()) + " in " + quietSeconds + " s")
                    .orElse("n/a");
            sampler.shutdownNow();
            long peakRss = operator.peakRssKiB();
            long live = liveHeap(operator);
            System.out.printf("[bench] N=%d operator: all Ready after %s; write requests by resource: %s%n", n,
                    seconds(converged), audit.map(log -> breakdown(log.writesSince(mark, TestCluster.Identity.OPERATOR.user),
                            namespace)).orElse("n/a"));
            return String.format("%-6d %-9s %-9s %-6s %-14s %-12s %-13s %-14s", n, seconds(floor), seconds(converged),
                    String.format("%.2f", converged.toMillis() / (double) floor.toMillis()), writes, steady,
                    peakRss / 1024 + " MiB", heapMax.get() / (1024 * 1024) + "/"
                            + (live < 0 ? "n/a" : live / (1024 * 1024) + " MiB"));
        } finally {
            deleteAndWait(namespace);
        }
    }

    /** Heap in use right after a full collection (jcmd GC.run): what the operator's caches really hold. */
    private static long liveHeap(OperatorProcess operator) {
        try {
            Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                    String.valueOf(operator.pid()), "GC.run").redirectErrorStream(true).start();
            jcmd.getInputStream().readAllBytes();
            jcmd.waitFor();
            return operator.heapUsedBytes();
        } catch (java.io.IOException | RuntimeException e) {
            System.out.println("[bench] no live-heap figure: " + e.getMessage());
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static String perSpecialist(List<AuditLog.Write> writes, String namespace, int n) {
        long count = writes.stream().filter(write -> namespace.equals(write.namespace())).count();
        return String.format("%.1f", count / (double) n);
    }

    private static String breakdown(List<AuditLog.Write> writes, String namespace) {
        Map<String, Long> byKind = writes.stream().filter(write -> namespace.equals(write.namespace()))
                .collect(Collectors.groupingBy(write -> write.verb() + " " + write.resource()
                        + (write.subresource() == null ? "" : "/" + write.subresource()), TreeMap::new, Collectors.counting()));
        return byKind.toString();
    }

    private static <T extends HasMetadata> void awaitCount(SharedIndexInformer<T> informer, Predicate<T> done, int n) {
        long deadline = System.nanoTime() + CONVERGENCE_TIMEOUT.toNanos();
        long nextReport = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        try {
            while (informer.getStore().list().stream().filter(done).count() < n) {
                if (System.nanoTime() > nextReport) {
                    System.out.printf("[bench]   %d/%d done%n", informer.getStore().list().stream().filter(done).count(), n);
                    nextReport = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("not converged within " + CONVERGENCE_TIMEOUT + ": "
                            + informer.getStore().list().stream().filter(done).count() + "/" + n);
                }
                Thread.sleep(100);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            informer.close();
        }
    }

    private void deleteAndWait(String namespace) {
        harness.deleteNamespace(namespace);
        if (!cluster.hasControllerManager()) {
            return; // nothing would finish the deletion; the objects stay, in a namespace of their own
        }
        long deadline = System.nanoTime() + Duration.ofMinutes(15).toNanos();
        while (client.namespaces().withName(namespace).get() != null && System.nanoTime() < deadline) {
            sleep(1000);
        }
    }

    private static boolean isReady(SLMSpecialist specialist) {
        return specialist.getStatus() != null && specialist.getStatus().phase == Phase.Ready;
    }

    private static boolean isReady(Deployment deployment) {
        Integer wanted = Optional.ofNullable(deployment.getSpec().getReplicas()).orElse(1);
        return deployment.getStatus() != null && wanted.equals(deployment.getStatus().getReadyReplicas());
    }

    /** The benchmark's specialist: the e2e one without its cache claim (one Deployment and one Service each). */
    private static SLMSpecialist specialist(String namespace, int i) {
        SLMSpecialist specialist = Manifests.ofKind(Manifests.parse(BENCH_SPECIALIST), SLMSpecialist.class).get(0);
        specialist.getMetadata().setName("specialist-" + i);
        specialist.getMetadata().setNamespace(namespace);
        return specialist;
    }

    private static final String BENCH_SPECIALIST = """
            apiVersion: slmfleet.io/v1alpha1
            kind: SLMSpecialist
            metadata:
              name: specialist
            spec:
              model:
                name: meta/llama-3.2-1b-instruct
                image: nvcr.io/nim/meta/llama-3.2-1b-instruct:1.12.0
                ngcApiKeySecret: {name: ngc-api, key: NGC_API_KEY}
              replicas: 1
              gpu:
                count: 1
                product: NVIDIA-L4
            """;

    private static String seconds(Duration duration) {
        return String.format("%.1f s", duration.toMillis() / 1000.0);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
