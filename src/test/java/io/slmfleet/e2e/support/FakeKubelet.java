package io.slmfleet.e2e.support;

import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.fabric8.kubernetes.api.model.BindingBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeStatus;
import io.fabric8.kubernetes.api.model.NodeStatusBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.utils.Serialization;

/**
 * Plays the kubelets of fake GPU nodes, for clusters without (GPU) kubelets. The nodes advertise {@code nvidia.com/gpu}
 * (and any other extended resource asked for) and carry {@code nvidia.com/gpu.product}, so the real scheduler's GPU
 * placement decides where pods go when it runs; without a scheduler this class binds pending pods itself, to a fake
 * node that fits (node selector and free GPUs). Pods bound to fake nodes become Running and Ready; pods of a Job keep
 * running until the test decides how they end ({@link #finishJob}). Terminating pods are removed, as a kubelet confirms
 * a deletion. Node leases and the Ready condition are renewed so the node lifecycle controller keeps the nodes Ready.
 * Claims of test namespaces that nothing provisions get a pre-bound volume, which is never mounted.
 * <p>
 * Without kube-controller-manager nothing turns a Deployment into pods; then this class also plays the Deployment
 * controller and reports every Deployment of the cluster as fully rolled out and ready.
 */
public final class FakeKubelet implements AutoCloseable {

    public static final String FAKE_NODE_LABEL = "slmfleet.io/e2e-fake-node";
    public static final String GPU_PRODUCT_LABEL = "nvidia.com/gpu.product";

    /** How a Job's pod ends: its container's exit code and termination message (what the trainer would write). */
    public record JobOutcome(int exitCode, String terminationMessage) {
        public static JobOutcome succeeded(String terminationMessage) {
            return new JobOutcome(0, terminationMessage);
        }

        public static JobOutcome failed(String terminationMessage) {
            return new JobOutcome(1, terminationMessage);
        }
    }

    private static final DateTimeFormatter TIME = DateTimeFormatter.ISO_INSTANT;
    /** A write that lost a conflict is tried again at the next resync. */
    private static final long RESYNC_MILLIS = 10_000;

    private final KubernetesClient client;
    private final boolean bindPods;
    private final boolean playDeploymentController;
    private final Map<String, Node> nodes = new ConcurrentHashMap<>();
    private final Map<String, Map<String, Integer>> allocated = new ConcurrentHashMap<>();
    private final Map<String, String> boundPods = new ConcurrentHashMap<>();
    private final Map<String, JobOutcome> jobOutcomes = new ConcurrentHashMap<>();
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
    private final AtomicInteger addresses = new AtomicInteger();
    private final ExecutorService workers = Executors.newFixedThreadPool(4, daemon("fake-kubelet"));
    private final ScheduledExecutorService heartbeats = Executors.newSingleThreadScheduledExecutor(daemon("fake-kubelet-lease"));
    private final List<SharedIndexInformer<?>> informers = new ArrayList<>();

    /**
     * @param bindPods bind pending pods to fake nodes (when no scheduler runs)
     * @param playDeploymentController report Deployments ready by writing their status (when no controller-manager runs)
     */
    public FakeKubelet(KubernetesClient client, boolean bindPods, boolean playDeploymentController) {
        this.client = client;
        this.bindPods = bindPods;
        this.playDeploymentController = playDeploymentController;
    }

    /** For the given cluster: binds pods only where no scheduler runs, plays the Deployment controller where none runs. */
    public static FakeKubelet forCluster(KubernetesClient client, TestCluster cluster) {
        return new FakeKubelet(client, !cluster.hasScheduler(), !cluster.hasControllerManager());
    }

    /**
     * Registers {@code count} fake nodes named {@code <prefix>-<i>} with {@code gpus} units of {@code gpuResource}
     * each (e.g. nvidia.com/gpu or a MIG resource such as nvidia.com/mig-3g.40gb) and the given GPU product label.
     */
    public FakeKubelet addGpuNodes(String prefix, int count, String gpuResource, int gpus, String product) {
        for (int i = 0; i < count; i++) {
            String name = prefix + "-" + i;
            Map<String, Quantity> capacity = Map.of("cpu", new Quantity("256"), "memory", new Quantity("2Ti"),
                    "pods", new Quantity("250"), "ephemeral-storage", new Quantity("10Ti"), gpuResource,
                    new Quantity(String.valueOf(gpus)));
            client.nodes().resource(new NodeBuilder()
                    .withNewMetadata()
                        .withName(name)
                        .addToLabels(FAKE_NODE_LABEL, "true")
                        .addToLabels("kubernetes.io/hostname", name)
                        .addToLabels("kubernetes.io/os", "linux")
                        .addToLabels(GPU_PRODUCT_LABEL, product)
                        .addToLabels("nvidia.com/gpu.present", "true")
                    .endMetadata()
                    .build()).serverSideApply();
            String now = now();
            NodeStatus status = new NodeStatusBuilder()
                    .withCapacity(capacity)
                    .withAllocatable(capacity)
                    .addNewCondition()
                        .withType("Ready").withStatus("True").withReason("KubeletReady")
                        .withMessage("fake kubelet of the e2e tier")
                        .withLastHeartbeatTime(now).withLastTransitionTime(now)
                    .endCondition()
                    .addNewAddress().withType("InternalIP").withAddress(nextAddress()).endAddress()
                    .addNewAddress().withType("Hostname").withAddress(name).endAddress()
                    .withNewNodeInfo()
                        .withArchitecture("amd64").withOperatingSystem("linux").withKubeletVersion("v1.0.0-fake")
                        .withKubeProxyVersion("v1.0.0-fake").withContainerRuntimeVersion("fake://1")
                        .withOsImage("fake").withKernelVersion("fake").withMachineID(name).withSystemUUID(name)
                        .withBootID(name)
                    .endNodeInfo()
                    .build();
            // a patch, not an update: the node lifecycle controller may have tainted the new node meanwhile
            nodes.put(name, client.nodes().withName(name).subresource("status").patch(
                    PatchContext.of(PatchType.STRATEGIC_MERGE), Serialization.asJson(Map.of("status", status))));
            allocated.put(name, new ConcurrentHashMap<>());
        }
        return this;
    }

    public FakeKubelet start() {
        heartbeats.scheduleAtFixedRate(this::heartbeat, 0, 10, TimeUnit.SECONDS);
        SharedIndexInformer<Pod> pods = client.pods().inAnyNamespace().inform(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Pod pod) {
                handle(pod);
            }

            @Override
            public void onUpdate(Pod oldPod, Pod pod) {
                handle(pod);
            }

            @Override
            public void onDelete(Pod pod, boolean deletedFinalStateUnknown) {
                release(pod);
            }
        }, RESYNC_MILLIS);
        informers.add(pods);
        if (!playDeploymentController) {
            informers.add(client.persistentVolumeClaims().inAnyNamespace().inform(new ResourceEventHandler<>() {
                @Override
                public void onAdd(PersistentVolumeClaim claim) {
                    provide(claim);
                }

                @Override
                public void onUpdate(PersistentVolumeClaim oldClaim, PersistentVolumeClaim claim) {
                    provide(claim);
                }

                @Override
                public void onDelete(PersistentVolumeClaim claim, boolean deletedFinalStateUnknown) {
                    client.persistentVolumes().withName(volumeName(claim)).delete();
                }
            }, RESYNC_MILLIS));
        }
        if (playDeploymentController) {
            informers.add(client.apps().deployments().inAnyNamespace().inform(new ResourceEventHandler<>() {
                @Override
                public void onAdd(Deployment deployment) {
                    reportReady(deployment);
                }

                @Override
                public void onUpdate(Deployment oldDeployment, Deployment deployment) {
                    reportReady(deployment);
                }

                @Override
                public void onDelete(Deployment deployment, boolean deletedFinalStateUnknown) {
                }
            }, RESYNC_MILLIS));
        }
        return this;
    }

    /** Decides how the pods of Job {@code namespace/job} end: those running now and any it starts later. */
    public void finishJob(String namespace, String job, JobOutcome outcome) {
        jobOutcomes.put(namespace + "/" + job, outcome);
        client.pods().inNamespace(namespace).withLabel("job-name", job).list().getItems().forEach(this::handle);
    }

    public Set<String> nodeNames() {
        return Set.copyOf(nodes.keySet());
    }

    private void handle(Pod pod) {
        String key = pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
        String nodeName = pod.getSpec().getNodeName();
        if (nodeName == null || nodeName.isEmpty()) {
            if (bindPods && pod.getMetadata().getDeletionTimestamp() == null && inFlight.add(key)) {
                workers.execute(() -> runOnce(key, () -> bind(pod)));
            }
            return;
        }
        if (!nodes.containsKey(nodeName)) {
            return;
        }
        if (pod.getMetadata().getDeletionTimestamp() != null) {
            if (inFlight.add(key)) {
                workers.execute(() -> runOnce(key, () -> client.pods().inNamespace(pod.getMetadata().getNamespace())
                        .withName(pod.getMetadata().getName()).withGracePeriod(0).delete()));
            }
            return;
        }
        Optional<PodStatus> next = nextStatus(pod);
        if (next.isPresent() && inFlight.add(key)) {
            workers.execute(() -> runOnce(key, () -> {
                pod.setStatus(next.get());
                client.pods().inNamespace(pod.getMetadata().getNamespace()).resource(pod).updateStatus();
            }));
        }
    }

    /** The status a kubelet would report next, or empty when it already reports it. */
    private Optional<PodStatus> nextStatus(Pod pod) {
        String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        if ("Succeeded".equals(phase) || "Failed".equals(phase)) {
            return Optional.empty();
        }
        Optional<String> job = ownerJob(pod);
        Optional<JobOutcome> outcome = job.map(name -> jobOutcomes.get(pod.getMetadata().getNamespace() + "/" + name));
        if (outcome.isPresent()) {
            return Optional.of(terminated(pod, outcome.get()));
        }
        if ("Running".equals(phase)) {
            return Optional.empty();
        }
        return Optional.of(running(pod));
    }

    private static Optional<String> ownerJob(Pod pod) {
        return pod.getMetadata().getOwnerReferences().stream()
                .filter(owner -> "Job".equals(owner.getKind()))
                .map(owner -> owner.getName())
                .findFirst();
    }

    private PodStatus running(Pod pod) {
        String now = now();
        List<ContainerStatus> containers = new ArrayList<>();
        for (Container container : pod.getSpec().getContainers()) {
            containers.add(new ContainerStatusBuilder()
                    .withName(container.getName()).withImage(container.getImage())
                    .withImageID("fake://" + container.getImage()).withContainerID("fake://" + pod.getMetadata().getUid())
                    .withReady(true).withStarted(true).withRestartCount(0)
                    .withNewState().withNewRunning().withStartedAt(now).endRunning().endState()
                    .build());
        }
        String hostIp = address(nodes.get(pod.getSpec().getNodeName()));
        return new PodStatusBuilder()
                .withPhase("Running")
                .withHostIP(hostIp)
                .withPodIP(nextAddress())
                .withStartTime(now)
                .withConditions(condition("PodScheduled", "True", now), condition("Initialized", "True", now),
                        condition("ContainersReady", "True", now), condition("Ready", "True", now))
                .withContainerStatuses(containers)
                .build();
    }

    private PodStatus terminated(Pod pod, JobOutcome outcome) {
        String now = now();
        PodStatus status = pod.getStatus() != null && pod.getStatus().getStartTime() != null ? pod.getStatus() : running(pod);
        List<ContainerStatus> containers = new ArrayList<>();
        for (Container container : pod.getSpec().getContainers()) {
            containers.add(new ContainerStatusBuilder()
                    .withName(container.getName()).withImage(container.getImage())
                    .withImageID("fake://" + container.getImage()).withContainerID("fake://" + pod.getMetadata().getUid())
                    .withReady(false).withStarted(false).withRestartCount(0)
                    .withNewState().withNewTerminated()
                        .withExitCode(outcome.exitCode())
                        .withReason(outcome.exitCode() == 0 ? "Completed" : "Error")
                        .withMessage(outcome.terminationMessage())
                        .withStartedAt(status.getStartTime()).withFinishedAt(now)
                    .endTerminated().endState()
                    .build());
        }
        return new PodStatusBuilder(status)
                .withPhase(outcome.exitCode() == 0 ? "Succeeded" : "Failed")
                .withConditions(condition("PodScheduled", "True", now), condition("Initialized", "True", now),
                        condition("ContainersReady", "False", now), condition("Ready", "False", now))
                .withContainerStatuses(containers)
                .build();
    }

    private static PodCondition condition(String type, String status, String time) {
        return new PodConditionBuilder().withType(type).withStatus(status).withLastTransitionTime(time).build();
    }

    /**
     * A volume for a claim of a test namespace that nothing provides (no default StorageClass on a bare control plane),
     * pre-bound to the claim, so the scheduler, which places no pod whose claim is unbound, can place its pods. The
     * persistent-volume controller of kube-controller-manager binds the pair.
     */
    private void provide(PersistentVolumeClaim claim) {
        boolean pending = claim.getStatus() == null || "Pending".equals(claim.getStatus().getPhase());
        if (!pending || claim.getSpec().getVolumeName() != null || claim.getMetadata().getDeletionTimestamp() != null
                || !isTestNamespace(claim.getMetadata().getNamespace())) {
            return;
        }
        String name = volumeName(claim);
        if (!inFlight.add(name)) {
            return;
        }
        workers.execute(() -> runOnce(name, () -> {
            if (client.persistentVolumes().withName(name).get() != null) {
                return;
            }
            client.persistentVolumes().resource(new PersistentVolumeBuilder()
                    .withNewMetadata().withName(name).addToLabels(FAKE_NODE_LABEL, "volume").endMetadata()
                    .withNewSpec()
                        .withCapacity(claim.getSpec().getResources().getRequests())
                        .withAccessModes(claim.getSpec().getAccessModes())
                        .withStorageClassName(Optional.ofNullable(claim.getSpec().getStorageClassName()).orElse(""))
                        .withPersistentVolumeReclaimPolicy("Retain")
                        // never mounted: only fake kubelets run the pods that use it
                        .withNewHostPath().withPath("/var/lib/slmfleet-e2e/" + name).endHostPath()
                        .withNewClaimRef()
                            .withNamespace(claim.getMetadata().getNamespace()).withName(claim.getMetadata().getName())
                            .withUid(claim.getMetadata().getUid())
                        .endClaimRef()
                    .endSpec()
                    .build()).create();
        }));
    }

    private static String volumeName(PersistentVolumeClaim claim) {
        return "e2e-" + claim.getMetadata().getUid();
    }

    private final Map<String, Boolean> testNamespaces = new ConcurrentHashMap<>();

    private boolean isTestNamespace(String namespace) {
        return testNamespaces.computeIfAbsent(namespace, name -> {
            var object = client.namespaces().withName(name).get();
            return object != null && object.getMetadata().getLabels() != null
                    && object.getMetadata().getLabels().containsKey(E2eHarness.NAMESPACE_LABEL);
        });
    }

    /** The scheduler's part, when none runs: the first fake node whose labels and free extended resources fit. */
    private void bind(Pod pod) {
        Map<String, Integer> wanted = extendedResources(pod);
        Map<String, String> selector = Optional.ofNullable(pod.getSpec().getNodeSelector()).orElse(Map.of());
        for (Node node : nodes.values()) {
            if (!node.getMetadata().getLabels().entrySet().containsAll(selector.entrySet())) {
                continue;
            }
            if (reserve(node, wanted)) {
                try {
                    client.bindings().inNamespace(pod.getMetadata().getNamespace()).resource(new BindingBuilder()
                            .withNewMetadata().withName(pod.getMetadata().getName()).endMetadata()
                            .withNewTarget().withKind("Node").withApiVersion("v1").withName(node.getMetadata().getName())
                            .endTarget()
                            .build()).create();
                    boundPods.put(pod.getMetadata().getUid(), node.getMetadata().getName());
                } catch (KubernetesClientException e) {
                    unreserve(node.getMetadata().getName(), wanted);
                    throw e;
                }
                return;
            }
        }
        // like a scheduler: an unschedulable pod stays Pending, with the reason in its conditions (written once)
        boolean reported = pod.getStatus() != null && pod.getStatus().getConditions().stream()
                .anyMatch(c -> "PodScheduled".equals(c.getType()) && "Unschedulable".equals(c.getReason()));
        if (reported) {
            return;
        }
        String now = now();
        pod.setStatus(new PodStatusBuilder().withPhase("Pending")
                .withConditions(new PodConditionBuilder().withType("PodScheduled").withStatus("False")
                        .withReason("Unschedulable").withLastTransitionTime(now)
                        .withMessage("0/" + nodes.size() + " fake nodes fit: node selector " + selector + ", resources "
                                + wanted)
                        .build())
                .build());
        client.pods().inNamespace(pod.getMetadata().getNamespace()).resource(pod).updateStatus();
    }

    private synchronized boolean reserve(Node node, Map<String, Integer> wanted) {
        Map<String, Integer> used = allocated.get(node.getMetadata().getName());
        for (Map.Entry<String, Integer> resource : wanted.entrySet()) {
            Quantity capacity = node.getStatus().getAllocatable().get(resource.getKey());
            int free = (capacity == null ? 0 : capacity.getNumericalAmount().intValue())
                    - used.getOrDefault(resource.getKey(), 0);
            if (free < resource.getValue()) {
                return false;
            }
        }
        wanted.forEach((resource, amount) -> used.merge(resource, amount, Integer::sum));
        return true;
    }

    private synchronized void unreserve(String node, Map<String, Integer> wanted) {
        Map<String, Integer> used = allocated.get(node);
        wanted.forEach((resource, amount) -> used.merge(resource, -amount, Integer::sum));
    }

    private void release(Pod pod) {
        String node = boundPods.remove(pod.getMetadata().getUid());
        if (node != null) {
            unreserve(node, extendedResources(pod));
        }
    }

    /** Extended resources (name with a domain, e.g. nvidia.com/gpu) the pod's containers ask for. */
    private static Map<String, Integer> extendedResources(Pod pod) {
        Map<String, Integer> wanted = new HashMap<>();
        for (Container container : pod.getSpec().getContainers()) {
            if (container.getResources() == null || container.getResources().getLimits() == null) {
                continue;
            }
            container.getResources().getLimits().forEach((name, quantity) -> {
                if (name.contains("/")) {
                    wanted.merge(name, quantity.getNumericalAmount().intValue(), Integer::sum);
                }
            });
        }
        return wanted;
    }

    /** The Deployment controller's report, when none runs: every wanted replica updated, ready and available. */
    private void reportReady(Deployment deployment) {
        int replicas = Optional.ofNullable(deployment.getSpec().getReplicas()).orElse(1);
        Long generation = deployment.getMetadata().getGeneration();
        var status = deployment.getStatus();
        if (deployment.getMetadata().getDeletionTimestamp() != null || status != null
                && generation.equals(status.getObservedGeneration()) && Integer.valueOf(replicas).equals(status.getReadyReplicas())
                && Integer.valueOf(replicas).equals(status.getReplicas())) {
            return;
        }
        String key = "deployment " + deployment.getMetadata().getNamespace() + "/" + deployment.getMetadata().getName();
        if (!inFlight.add(key)) {
            return;
        }
        workers.execute(() -> runOnce(key, () -> {
            String now = now();
            deployment.setStatus(new DeploymentStatusBuilder()
                    .withObservedGeneration(generation)
                    .withReplicas(replicas).withUpdatedReplicas(replicas).withReadyReplicas(replicas)
                    .withAvailableReplicas(replicas)
                    .withConditions(new DeploymentConditionBuilder().withType("Available").withStatus("True")
                            .withReason("MinimumReplicasAvailable").withMessage("reported by the e2e tier's fake kubelet")
                            .withLastUpdateTime(now).withLastTransitionTime(now).build())
                    .build());
            client.apps().deployments().inNamespace(deployment.getMetadata().getNamespace()).resource(deployment)
                    .updateStatus();
        }));
    }

    /**
     * What a kubelet reports every few seconds: the node lease and the Ready condition. Both, because after an outage
     * (an API server restart) the node lifecycle controller sets Ready to Unknown and only the kubelet sets it back.
     */
    private void heartbeat() {
        ZonedDateTime now = ZonedDateTime.now(java.time.ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
        String time = now();
        for (String node : nodes.keySet()) {
            try {
                client.leases().inNamespace("kube-node-lease").resource(new LeaseBuilder()
                        .withNewMetadata().withName(node).withNamespace("kube-node-lease").endMetadata()
                        .withNewSpec().withHolderIdentity(node).withLeaseDurationSeconds(40).withRenewTime(now).endSpec()
                        .build()).fieldManager("e2e-fake-kubelet").forceConflicts().serverSideApply();
                client.nodes().withName(node).subresource("status").patch(PatchContext.of(PatchType.STRATEGIC_MERGE),
                        Serialization.asJson(Map.of("status", Map.of("conditions", List.of(readyCondition(time))))));
            } catch (RuntimeException e) {
                // the API server may be restarting (a fault test): the next round reports again
            }
        }
    }

    private static Map<String, String> readyCondition(String time) {
        return Map.of("type", "Ready", "status", "True", "reason", "KubeletReady",
                "message", "fake kubelet of the e2e tier", "lastHeartbeatTime", time);
    }

    /** Runs an action once for a key; a failure (a conflict, a restart of the API server) is retried on the next event. */
    private void runOnce(String key, Runnable action) {
        try {
            action.run();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404 && e.getCode() != 409) {
                System.out.println("[fake-kubelet] " + key + ": " + e.getMessage());
            }
        } finally {
            inFlight.remove(key);
        }
    }

    private String nextAddress() {
        // RFC 2544's benchmarking range: a status field only, nothing ever connects to these addresses
        int n = addresses.incrementAndGet();
        return "198.18." + (n / 250) % 250 + "." + (n % 250 + 1);
    }

    private static String address(Node node) {
        return node.getStatus().getAddresses().get(0).getAddress();
    }

    private static String now() {
        return TIME.format(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    /** Stops playing the kubelets and removes the fake nodes (their leases go with them). */
    @Override
    public void close() {
        informers.forEach(SharedIndexInformer::close);
        heartbeats.shutdownNow();
        workers.shutdownNow();
        client.persistentVolumes().withLabel(FAKE_NODE_LABEL, "volume").delete();
        for (String node : nodes.keySet()) {
            client.nodes().withName(node).delete();
            client.leases().inNamespace("kube-node-lease").withName(node).delete();
        }
    }
}
