package io.slmfleet.evaluationjob;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.slmfleet.api.v1alpha1.EvaluationJob;
import io.slmfleet.api.v1alpha1.EvaluationJobSpec;
import io.slmfleet.common.DesiredState;
import io.slmfleet.common.Jobs;
import io.slmfleet.common.Labels;
import io.slmfleet.common.OwnerReferences;
import io.slmfleet.common.PodSecurity;

/**
 * The batch/v1 Job an EvaluationJob runs as: the operator's own image with the {@code evaluate} command, no GPU, the
 * data set's claim mounted read-only, the response schema from its ConfigMap, the candidates' API keys from their
 * Secrets (kubelet reads them; the operator never does), and the report written to the output claim. Created once and
 * never applied again (a Job's pod template is immutable).
 */
public final class EvaluationPodJob {

    private static final String DATA_VOLUME = "data";
    private static final String OUTPUT_VOLUME = "output";

    private EvaluationPodJob() {
    }

    public static Job desired(EvaluationJob job, EvaluationInputs inputs, EvaluationSettings settings) {
        EvaluationJobSpec spec = job.getSpec();
        Quantity cpu = new Quantity(settings.cpu());
        Quantity memory = new Quantity(settings.memory());
        return DesiredState.stamped(new JobBuilder()
                .withNewMetadata()
                    .withName(EvaluationLayout.jobName(job))
                    .withNamespace(job.getMetadata().getNamespace())
                    .withLabels(Labels.of(job, EvaluationLayout.APP, "evaluation"))
                    .withOwnerReferences(OwnerReferences.controlledBy(job))
                .endMetadata()
                .withNewSpec()
                    .withCompletions(1)
                    .withParallelism(1)
                    .withBackoffLimit(spec.backoffLimit)
                    .withActiveDeadlineSeconds(spec.activeDeadlineSeconds)
                    .withTtlSecondsAfterFinished(spec.ttlSecondsAfterFinished)
                    .withPodFailurePolicy(Jobs.failurePolicy(EvaluationLayout.CONTAINER,
                            EvaluationLayout.BAD_INPUT_EXIT_CODE))
                    .withNewTemplate()
                        .withNewMetadata()
                            .withLabels(Labels.of(job, EvaluationLayout.APP, "evaluation"))
                        .endMetadata()
                        .withNewSpec()
                            .withRestartPolicy("Never")
                            .withAutomountServiceAccountToken(false)
                            .withEnableServiceLinks(false)
                            .withSecurityContext(PodSecurity.runAs(PodSecurity.OPERATOR_IMAGE_UID))
                            .addNewContainer()
                                .withName(EvaluationLayout.CONTAINER)
                                .withImage(settings.image())
                                .withArgs(args(spec, inputs))
                                .withEnv(env(inputs))
                                .withNewResources()
                                    .addToRequests("cpu", cpu)
                                    .addToRequests("memory", memory)
                                    .addToLimits("cpu", cpu)
                                    .addToLimits("memory", memory)
                                .endResources()
                                .withTerminationMessagePath(EvaluationLayout.TERMINATION_LOG)
                                .withTerminationMessagePolicy("FallbackToLogsOnError")
                                .withNewSecurityContextLike(PodSecurity.restrictedContainer())
                                    .withReadOnlyRootFilesystem(true)
                                .endSecurityContext()
                                .withVolumeMounts(mounts(spec, inputs))
                            .endContainer()
                            .withVolumes(volumes(spec, inputs))
                        .endSpec()
                    .endTemplate()
                .endSpec()
                .build());
    }

    /** The command line of the offline {@code evaluate} command: every candidate, its key's variable and its price. */
    static List<String> args(EvaluationJobSpec spec, EvaluationInputs inputs) {
        List<String> args = new ArrayList<>();
        args.add(EvaluationLayout.COMMAND);
        option(args, "--dataset", EvaluationLayout.DATASET_DIR + "/" + inputs.datasetPath());
        List<ResolvedCandidate> candidates = inputs.candidates();
        for (ResolvedCandidate candidate : candidates) {
            option(args, "--candidate", candidate.name() + "=" + candidate.baseUrl() + "," + candidate.model());
        }
        for (int i = 0; i < candidates.size(); i++) {
            ResolvedCandidate candidate = candidates.get(i);
            if (candidate.apiKey() != null) {
                option(args, "--api-key-env", candidate.name() + "=" + EvaluationLayout.apiKeyVariable(i));
            }
            if (candidate.gpuPricePerHour() != null) {
                option(args, "--gpu-price", candidate.name() + "=" + number(candidate.gpuPricePerHour()));
            }
            if (candidate.tokenPrices() != null) {
                option(args, "--token-price", candidate.name() + "=" + number(candidate.tokenPrices().inputPerMillionTokens())
                        + "," + number(candidate.tokenPrices().outputPerMillionTokens()));
            }
        }
        if (spec.limits.maxExamples > 0) {
            option(args, "--max-examples", spec.limits.maxExamples);
        }
        option(args, "--concurrency", spec.limits.concurrency);
        option(args, "--timeout-seconds", spec.limits.timeoutSeconds);
        option(args, "--agreement-threshold", number(spec.scoring.agreementThreshold));
        option(args, "--min-agreement", number(spec.gates.minAgreement));
        option(args, "--confidence", number(spec.gates.confidence));
        if (inputs.responseSchema() != null) {
            option(args, "--response-schema", EvaluationLayout.SCHEMA_DIR + "/" + inputs.responseSchema().key);
        }
        if (spec.output != null) {
            option(args, "--report", EvaluationLayout.inPod(EvaluationLayout.OUTPUT_DIR, spec.output.path) + "/"
                    + EvaluationLayout.REPORT_FILE);
        }
        option(args, "--summary-file", EvaluationLayout.TERMINATION_LOG);
        return args;
    }

    private static List<EnvVar> env(EvaluationInputs inputs) {
        List<EnvVar> env = new ArrayList<>();
        // The image's launcher sizes the heap from the container's memory limit.
        env.add(new EnvVarBuilder().withName("JAVA_MAX_MEM_RATIO").withValue("50").build());
        for (int i = 0; i < inputs.candidates().size(); i++) {
            ResolvedCandidate candidate = inputs.candidates().get(i);
            if (candidate.apiKey() != null) {
                env.add(PodSecurity.envFromSecret(EvaluationLayout.apiKeyVariable(i), candidate.apiKey()));
            }
        }
        return env;
    }

    private static List<VolumeMount> mounts(EvaluationJobSpec spec, EvaluationInputs inputs) {
        List<VolumeMount> mounts = new ArrayList<>();
        mounts.add(new VolumeMountBuilder().withName(DATA_VOLUME).withMountPath(EvaluationLayout.DATASET_DIR)
                .withReadOnly(true).build());
        if (inputs.responseSchema() != null) {
            mounts.add(new VolumeMountBuilder().withName("schema").withMountPath(EvaluationLayout.SCHEMA_DIR)
                    .withReadOnly(true).build());
        }
        if (spec.output != null) {
            mounts.add(new VolumeMountBuilder().withName(outputVolume(spec, inputs)).withMountPath(EvaluationLayout.OUTPUT_DIR)
                    .build());
        }
        mounts.add(new VolumeMountBuilder().withName("tmp").withMountPath("/tmp").build());
        return mounts;
    }

    private static List<Volume> volumes(EvaluationJobSpec spec, EvaluationInputs inputs) {
        List<Volume> volumes = new ArrayList<>();
        volumes.add(new VolumeBuilder()
                .withName(DATA_VOLUME)
                .withNewPersistentVolumeClaim()
                    .withClaimName(inputs.datasetClaim())
                    .withReadOnly(DATA_VOLUME.equals(outputVolume(spec, inputs)) ? null : true)
                .endPersistentVolumeClaim()
                .build());
        if (inputs.responseSchema() != null) {
            volumes.add(new VolumeBuilder()
                    .withName("schema")
                    .withNewConfigMap()
                        .withName(inputs.responseSchema().name)
                        .addNewItem()
                            .withKey(inputs.responseSchema().key)
                            .withPath(inputs.responseSchema().key)
                        .endItem()
                    .endConfigMap()
                    .build());
        }
        if (OUTPUT_VOLUME.equals(outputVolume(spec, inputs))) {
            volumes.add(new VolumeBuilder()
                    .withName(OUTPUT_VOLUME)
                    .withNewPersistentVolumeClaim()
                        .withClaimName(spec.output.claimName)
                    .endPersistentVolumeClaim()
                    .build());
        }
        volumes.add(new VolumeBuilder()
                .withName("tmp")
                .withNewEmptyDir()
                .endEmptyDir()
                .build());
        return volumes;
    }

    /**
     * The volume the report is written to: the data set's own when both are on one claim (one volume, mounted read-only
     * at the data set and read-write at the output, rather than one claim attached twice with different modes).
     */
    private static String outputVolume(EvaluationJobSpec spec, EvaluationInputs inputs) {
        if (spec.output == null) {
            return null;
        }
        return spec.output.claimName.equals(inputs.datasetClaim()) ? DATA_VOLUME : OUTPUT_VOLUME;
    }

    private static void option(List<String> args, String name, Object value) {
        args.add(name);
        args.add(String.valueOf(value));
    }

    /** 0.9, not 0.90000001: the command line reads as the spec was written. */
    private static String number(double value) {
        return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }
}
