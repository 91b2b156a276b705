package io.slmfleet.slmspecialist;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.slmfleet.api.v1alpha1.GpuSpec;
import io.slmfleet.api.v1alpha1.SLMSpecialist;
import io.slmfleet.api.v1alpha1.SLMSpecialistSpec;
import io.slmfleet.common.DesiredState;
import io.slmfleet.common.GpuScheduling;
import io.slmfleet.common.Labels;
import io.slmfleet.common.OwnerReferences;
import io.slmfleet.common.PodSecurity;

/** The Deployment running the NIM container, following NVIDIA's NIM contract (see README, "How a specialist runs"). */
public final class NimDeployment {

    private static final int PROBE_PERIOD_SECONDS = 10;

    private NimDeployment() {
    }

    public static Deployment desired(SLMSpecialist specialist, ResolvedAdapters adapters, NimSettings settings) {
        SLMSpecialistSpec spec = specialist.getSpec();
        int startupFailureThreshold = (int) Math.max(1, settings.startupBudget().toSeconds() / PROBE_PERIOD_SECONDS);
        return DesiredState.stamped(new DeploymentBuilder()
                .withNewMetadata()
                    .withName(specialist.getMetadata().getName())
                    .withNamespace(specialist.getMetadata().getNamespace())
                    .withLabels(Labels.of(specialist, Nim.APP, "inference"))
                    .withOwnerReferences(OwnerReferences.controlledBy(specialist))
                .endMetadata()
                .withNewSpec()
                    // Left to the HorizontalPodAutoscaler when autoscaling is set.
                    .withReplicas(spec.autoscaling == null ? spec.replicas : null)
                    .withNewSelector()
                        .withMatchLabels(Labels.selector(specialist, Nim.APP))
                    .endSelector()
                    // A first start downloads the model: the rollout deadline must outlast the startup probe.
                    .withProgressDeadlineSeconds((int) settings.startupBudget().toSeconds() + 600)
                    .withNewStrategy()
                        .withType("RollingUpdate")
                        .withNewRollingUpdate()
                            // GPUs are scarce: replace pods in place rather than ask for a spare GPU.
                            .withNewMaxSurge(0)
                            .withNewMaxUnavailable(1)
                        .endRollingUpdate()
                    .endStrategy()
                    .withNewTemplate()
                        .withNewMetadata()
                            .withLabels(Labels.of(specialist, Nim.APP, "inference"))
                        .endMetadata()
                        .withNewSpec()
                            .withRuntimeClassName(GpuScheduling.runtimeClassName(spec.gpu))
                            .withPriorityClassName(spec.priorityClassName)
                            .withAutomountServiceAccountToken(false)
                            .withEnableServiceLinks(false)
                            .withImagePullSecrets(spec.model.imagePullSecrets.stream().map(LocalObjectReference::new).toList())
                            .withNodeSelector(nodeSelector(spec))
                            .withTolerations(tolerations(spec))
                            .withAffinity(spec.affinity)
                            .withSecurityContext(PodSecurity.runAs(Nim.UID))
                            .addNewContainer()
                                .withName(Nim.CONTAINER)
                                .withImage(spec.model.image)
                                .addNewPort()
                                    .withName(Nim.PORT_NAME)
                                    .withContainerPort(Nim.PORT)
                                    .withProtocol("TCP")
                                .endPort()
                                .withEnv(env(spec, adapters))
                                .withResources(resources(spec))
                                .withNewStartupProbe()
                                    .withNewHttpGet()
                                        .withPath(Nim.READY_PATH)
                                        .withNewPort(Nim.PORT_NAME)
                                    .endHttpGet()
                                    .withPeriodSeconds(PROBE_PERIOD_SECONDS)
                                    .withFailureThreshold(startupFailureThreshold)
                                .endStartupProbe()
                                .withNewLivenessProbe()
                                    .withNewHttpGet()
                                        .withPath(Nim.LIVE_PATH)
                                        .withNewPort(Nim.PORT_NAME)
                                    .endHttpGet()
                                    .withPeriodSeconds(PROBE_PERIOD_SECONDS)
                                    .withTimeoutSeconds(5)
                                    .withFailureThreshold(3)
                                .endLivenessProbe()
                                .withNewReadinessProbe()
                                    .withNewHttpGet()
                                        .withPath(Nim.READY_PATH)
                                        .withNewPort(Nim.PORT_NAME)
                                    .endHttpGet()
                                    .withPeriodSeconds(5)
                                    .withTimeoutSeconds(5)
                                    .withFailureThreshold(3)
                                .endReadinessProbe()
                                .withSecurityContext(PodSecurity.restrictedContainer())
                                .withVolumeMounts(volumeMounts(adapters))
                            .endContainer()
                            .withVolumes(volumes(specialist, adapters, settings))
                        .endSpec()
                    .endTemplate()
                .endSpec()
                .build());
    }

    private static Map<String, String> nodeSelector(SLMSpecialistSpec spec) {
        Map<String, String> selector = GpuScheduling.nodeSelector(spec.gpu);
        selector.putAll(spec.nodeSelector);
        return selector;
    }

    private static List<Toleration> tolerations(SLMSpecialistSpec spec) {
        List<Toleration> tolerations = new ArrayList<>();
        tolerations.add(GpuScheduling.toleration());
        tolerations.addAll(spec.tolerations);
        return tolerations;
    }

    /** The operator's variables first, then the user's: a user variable with the same name replaces the operator's. */
    private static List<EnvVar> env(SLMSpecialistSpec spec, ResolvedAdapters adapters) {
        Map<String, EnvVar> env = new LinkedHashMap<>();
        put(env, "NIM_SERVER_PORT", String.valueOf(Nim.PORT));
        put(env, "NIM_CACHE_PATH", Nim.CACHE_PATH);
        put(env, "NIM_SERVED_MODEL_NAME", spec.model.name);
        if (spec.model.ngcApiKeySecret != null) {
            env.put("NGC_API_KEY", PodSecurity.envFromSecret("NGC_API_KEY", spec.model.ngcApiKeySecret));
        }
        if (spec.model.profile != null && !spec.model.profile.isEmpty()) {
            put(env, "NIM_MODEL_PROFILE", spec.model.profile);
        }
        if (spec.model.maxModelLen != null) {
            put(env, "NIM_MAX_MODEL_LEN", String.valueOf(spec.model.maxModelLen));
        }
        if (adapters.claimName().isPresent()) {
            put(env, "NIM_PEFT_SOURCE", Nim.ADAPTERS_PATH);
            put(env, "NIM_PEFT_REFRESH_INTERVAL", String.valueOf(spec.lora.refreshIntervalSeconds));
            put(env, "NIM_MAX_GPU_LORAS", String.valueOf(spec.lora.maxGpuLoras));
            put(env, "NIM_MAX_CPU_LORAS", String.valueOf(spec.lora.maxCpuLoras));
            put(env, "NIM_MAX_LORA_RANK", String.valueOf(spec.lora.maxRank));
        }
        spec.env.forEach(variable -> env.put(variable.getName(), variable));
        return new ArrayList<>(env.values());
    }

    private static void put(Map<String, EnvVar> env, String name, String value) {
        env.put(name, new EnvVar(name, value, null));
    }

    private static ResourceRequirements resources(SLMSpecialistSpec spec) {
        ResourceRequirements user = spec.resources == null ? new ResourceRequirements() : spec.resources;
        Map<String, Quantity> limits = new LinkedHashMap<>(user.getLimits() == null ? Map.of() : user.getLimits());
        GpuSpec gpu = spec.gpu;
        limits.put(gpu.resourceName, new Quantity(String.valueOf(gpu.count)));
        return new ResourceRequirementsBuilder()
                .withRequests(user.getRequests() == null || user.getRequests().isEmpty() ? null : user.getRequests())
                .withLimits(limits)
                .build();
    }

    private static List<VolumeMount> volumeMounts(ResolvedAdapters adapters) {
        List<VolumeMount> mounts = new ArrayList<>();
        mounts.add(new VolumeMountBuilder().withName("cache").withMountPath(Nim.CACHE_PATH).build());
        mounts.add(new VolumeMountBuilder().withName("dshm").withMountPath("/dev/shm").build());
        if (adapters.claimName().isPresent()) {
            mounts.add(new VolumeMountBuilder().withName("adapters").withMountPath(Nim.ADAPTERS_PATH).withReadOnly(true).build());
        }
        return mounts;
    }

    private static List<Volume> volumes(SLMSpecialist specialist, ResolvedAdapters adapters, NimSettings settings) {
        List<Volume> volumes = new ArrayList<>();
        if (specialist.getSpec().cache != null) {
            volumes.add(new VolumeBuilder()
                    .withName("cache")
                    .withNewPersistentVolumeClaim()
                        .withClaimName(Nim.cacheClaimName(specialist))
                    .endPersistentVolumeClaim()
                    .build());
        } else {
            volumes.add(new VolumeBuilder()
                    .withName("cache")
                    .withNewEmptyDir()
                    .endEmptyDir()
                    .build());
        }
        volumes.add(GpuScheduling.sharedMemory(settings.sharedMemorySize()));
        adapters.claimName().ifPresent(claim -> volumes.add(new VolumeBuilder()
                .withName("adapters")
                .withNewPersistentVolumeClaim()
                    .withClaimName(claim)
                    .withReadOnly(true)
                .endPersistentVolumeClaim()
                .build()));
        return volumes;
    }

}
