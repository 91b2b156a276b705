package io.slmfleet.finetunejob;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.slmfleet.api.v1alpha1.FineTuneJob;
import io.slmfleet.api.v1alpha1.FineTuneJobSpec;
import io.slmfleet.common.DesiredState;
import io.slmfleet.common.GpuScheduling;
import io.slmfleet.common.Jobs;
import io.slmfleet.common.Labels;
import io.slmfleet.common.OwnerReferences;
import io.slmfleet.common.PodSecurity;

/**
 * One attempt of a FineTuneJob: a batch/v1 Job running the trainer wrapper on GPUs. It is created once and never
 * applied again: a Job's pod template is immutable, and Kueue owns suspend and the node selectors of admitted Jobs.
 */
public final class TrainingJob {

    private TrainingJob() {
    }

    public static Job desired(FineTuneJob job, int attempt, String image, FineTuneSettings settings) {
        FineTuneJobSpec spec = job.getSpec();
        return DesiredState.stamped(new JobBuilder()
                .withNewMetadata()
                    .withName(Layout.jobName(job, attempt))
                    .withNamespace(job.getMetadata().getNamespace())
                    .withLabels(jobLabels(job, attempt))
                    .withOwnerReferences(OwnerReferences.controlledBy(job))
                .endMetadata()
                .withNewSpec()
                    .withCompletions(1)
                    .withParallelism(1)
                    .withBackoffLimit(spec.backoffLimit)
                    .withActiveDeadlineSeconds(spec.activeDeadlineSeconds)
                    .withTtlSecondsAfterFinished(spec.ttlSecondsAfterFinished)
                    // No podReplacementPolicy: the field exists from Kubernetes 1.28 only, and where it exists a Job
                    // with a pod failure policy defaults it to Failed (a replacement starts once the old pod is gone).
                    // Before that two trainers may overlap briefly; each writes to its own pod-UID directory.
                    .withPodFailurePolicy(Jobs.failurePolicy(Layout.CONTAINER, Layout.CONFIGURATION_ERROR_EXIT_CODE))
                    .withNewTemplate()
                        .withNewMetadata()
                            .withLabels(podLabels(job, attempt))
                        .endMetadata()
                        .withNewSpec()
                            .withRestartPolicy("Never")
                            .withRuntimeClassName(GpuScheduling.runtimeClassName(spec.gpu))
                            .withAutomountServiceAccountToken(false)
                            .withEnableServiceLinks(false)
                            .withNodeSelector(GpuScheduling.nodeSelector(spec.gpu))
                            .withTolerations(GpuScheduling.toleration())
                            .withSecurityContext(PodSecurity.runAs(Layout.UID))
                            .addNewContainer()
                                .withName(Layout.CONTAINER)
                                .withImage(image)
                                .withCommand("/bin/sh", "-c", TrainerScript.render(job))
                                .withEnv(env(spec))
                                .withNewResources()
                                    .addToLimits(spec.gpu.resourceName, new Quantity(String.valueOf(spec.gpu.count)))
                                .endResources()
                                .withTerminationMessagePath(Layout.TERMINATION_LOG)
                                .withTerminationMessagePolicy("FallbackToLogsOnError")
                                .withSecurityContext(PodSecurity.restrictedContainer())
                                .withVolumeMounts(volumeMounts(spec))
                            .endContainer()
                            .withVolumes(volumes(job, settings))
                        .endSpec()
                    .endTemplate()
                .endSpec()
                .build());
    }

    private static Map<String, String> jobLabels(FineTuneJob job, int attempt) {
        Map<String, String> labels = podLabels(job, attempt);
        String queue = job.getSpec().queueName;
        if (queue != null && !queue.isEmpty()) {
            labels.put(Layout.KUEUE_QUEUE_LABEL, queue);
        }
        return labels;
    }

    private static Map<String, String> podLabels(FineTuneJob job, int attempt) {
        Map<String, String> labels = new LinkedHashMap<>(Labels.of(job, Layout.APP, "fine-tune"));
        labels.put(Layout.ATTEMPT_LABEL, String.valueOf(attempt));
        return labels;
    }

    private static List<EnvVar> env(FineTuneJobSpec spec) {
        List<EnvVar> env = new ArrayList<>();
        env.add(new EnvVarBuilder()
                .withName("POD_UID")
                .withNewValueFrom()
                    .withNewFieldRef()
                        .withFieldPath("metadata.uid")
                    .endFieldRef()
                .endValueFrom()
                .build());
        env.add(new EnvVar("SLMFLEET_CONFIG", Layout.CONFIG_FILE, null));
        // The image's user may have no writable home: every cache goes to the scratch volume.
        env.add(new EnvVar("HOME", Layout.SCRATCH_DIR + "/home", null));
        env.add(new EnvVar("XDG_CACHE_HOME", Layout.SCRATCH_DIR + "/cache", null));
        env.add(new EnvVar("HF_HOME", Layout.SCRATCH_DIR + "/huggingface", null));
        env.add(new EnvVar("NEMO_HOME", Layout.SCRATCH_DIR + "/nemo", null));
        env.add(new EnvVar("PYTHONUNBUFFERED", "1", null));
        if (spec.baseModel.credentialsSecret != null) {
            env.add(PodSecurity.envFromSecret(Layout.credentialsEnv(spec.baseModel.source), spec.baseModel.credentialsSecret));
        }
        return env;
    }

    private static List<VolumeMount> volumeMounts(FineTuneJobSpec spec) {
        List<VolumeMount> mounts = new ArrayList<>();
        mounts.add(new VolumeMountBuilder().withName("config").withMountPath(Layout.CONFIG_DIR).withReadOnly(true).build());
        if (spec.dataset.volume != null) {
            // Only the dataset's own path is visible: the claim may hold more (e.g. raw, unredacted usage).
            mounts.add(new VolumeMountBuilder()
                    .withName("dataset")
                    .withMountPath(Layout.datasetPath(spec.dataset))
                    .withSubPath(spec.dataset.volume.path)
                    .withReadOnly(true)
                    .build());
        } else if (spec.dataset.configMap != null) {
            mounts.add(new VolumeMountBuilder().withName("dataset").withMountPath(Layout.DATA_DIR).withReadOnly(true).build());
        }
        if (spec.baseModel.source.volume != null) {
            mounts.add(new VolumeMountBuilder()
                    .withName("model")
                    .withMountPath(Layout.MODEL_DIR)
                    .withSubPath(emptyToNull(spec.baseModel.source.volume.path))
                    .withReadOnly(true)
                    .build());
        }
        mounts.add(new VolumeMountBuilder().withName("output").withMountPath(Layout.OUTPUT_DIR).build());
        mounts.add(new VolumeMountBuilder().withName("scratch").withMountPath(Layout.SCRATCH_DIR).build());
        mounts.add(new VolumeMountBuilder().withName("dshm").withMountPath("/dev/shm").build());
        return mounts;
    }

    private static List<Volume> volumes(FineTuneJob job, FineTuneSettings settings) {
        FineTuneJobSpec spec = job.getSpec();
        List<Volume> volumes = new ArrayList<>();
        volumes.add(new VolumeBuilder()
                .withName("config")
                .withNewConfigMap()
                    .withName(Layout.configMapName(job))
                    .addNewItem()
                        .withKey(Layout.CONFIG_KEY)
                        .withPath(Layout.CONFIG_KEY)
                    .endItem()
                .endConfigMap()
                .build());
        if (spec.dataset.volume != null) {
            volumes.add(new VolumeBuilder()
                    .withName("dataset")
                    .withNewPersistentVolumeClaim()
                        .withClaimName(spec.dataset.volume.claimName)
                        .withReadOnly(true)
                    .endPersistentVolumeClaim()
                    .build());
        } else if (spec.dataset.configMap != null) {
            volumes.add(new VolumeBuilder()
                    .withName("dataset")
                    .withNewConfigMap()
                        .withName(spec.dataset.configMap.name)
                        .addNewItem()
                            .withKey(spec.dataset.configMap.key)
                            .withPath(spec.dataset.configMap.key)
                        .endItem()
                    .endConfigMap()
                    .build());
        }
        if (spec.baseModel.source.volume != null) {
            volumes.add(new VolumeBuilder()
                    .withName("model")
                    .withNewPersistentVolumeClaim()
                        .withClaimName(spec.baseModel.source.volume.claimName)
                        .withReadOnly(true)
                    .endPersistentVolumeClaim()
                    .build());
        }
        volumes.add(new VolumeBuilder()
                .withName("output")
                .withNewPersistentVolumeClaim()
                    .withClaimName(spec.output.volume.claimName)
                .endPersistentVolumeClaim()
                .build());
        volumes.add(new VolumeBuilder()
                .withName("scratch")
                .withNewEmptyDir()
                .endEmptyDir()
                .build());
        volumes.add(GpuScheduling.sharedMemory(settings.sharedMemorySize()));
        return volumes;
    }

    private static String emptyToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }
}
