package io.slmfleet.curationjob;

import java.util.ArrayList;
import java.util.List;

import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.slmfleet.api.v1alpha1.CurationJob;
import io.slmfleet.api.v1alpha1.CurationJobSpec;
import io.slmfleet.common.DesiredState;
import io.slmfleet.common.Jobs;
import io.slmfleet.common.Labels;
import io.slmfleet.common.OwnerReferences;
import io.slmfleet.common.PodSecurity;

/**
 * The batch/v1 Job a CurationJob runs as: the operator's own image with the {@code curate} command, no GPU, the usage
 * claim mounted read-only and the data set claim read-write. Created once and never applied again (a Job's pod
 * template is immutable).
 */
public final class CurationPodJob {

    private CurationPodJob() {
    }

    public static Job desired(CurationJob job, CurationSettings settings) {
        CurationJobSpec spec = job.getSpec();
        Quantity cpu = new Quantity(settings.cpu());
        Quantity memory = new Quantity(settings.memory());
        return DesiredState.stamped(new JobBuilder()
                .withNewMetadata()
                    .withName(CurationLayout.jobName(job))
                    .withNamespace(job.getMetadata().getNamespace())
                    .withLabels(Labels.of(job, CurationLayout.APP, "curation"))
                    .withOwnerReferences(OwnerReferences.controlledBy(job))
                .endMetadata()
                .withNewSpec()
                    .withCompletions(1)
                    .withParallelism(1)
                    .withBackoffLimit(spec.backoffLimit)
                    .withActiveDeadlineSeconds(spec.activeDeadlineSeconds)
                    .withTtlSecondsAfterFinished(spec.ttlSecondsAfterFinished)
                    .withPodFailurePolicy(Jobs.failurePolicy(CurationLayout.CONTAINER, CurationLayout.BAD_INPUT_EXIT_CODE))
                    .withNewTemplate()
                        .withNewMetadata()
                            .withLabels(Labels.of(job, CurationLayout.APP, "curation"))
                        .endMetadata()
                        .withNewSpec()
                            .withRestartPolicy("Never")
                            .withAutomountServiceAccountToken(false)
                            .withEnableServiceLinks(false)
                            .withSecurityContext(PodSecurity.runAs(PodSecurity.OPERATOR_IMAGE_UID))
                            .addNewContainer()
                                .withName(CurationLayout.CONTAINER)
                                .withImage(settings.image())
                                .withArgs(args(spec))
                                // The image's launcher sizes the heap from the container's memory limit.
                                .addNewEnv()
                                    .withName("JAVA_MAX_MEM_RATIO")
                                    .withValue("50")
                                .endEnv()
                                .withNewResources()
                                    .addToRequests("cpu", cpu)
                                    .addToRequests("memory", memory)
                                    .addToLimits("cpu", cpu)
                                    .addToLimits("memory", memory)
                                .endResources()
                                .withTerminationMessagePath(CurationLayout.TERMINATION_LOG)
                                .withTerminationMessagePolicy("FallbackToLogsOnError")
                                .withNewSecurityContextLike(PodSecurity.restrictedContainer())
                                    .withReadOnlyRootFilesystem(true)
                                .endSecurityContext()
                                .addNewVolumeMount()
                                    .withName("source")
                                    .withMountPath(CurationLayout.SOURCE_DIR)
                                    .withReadOnly(true)
                                .endVolumeMount()
                                .addNewVolumeMount()
                                    .withName("output")
                                    .withMountPath(CurationLayout.OUTPUT_DIR)
                                .endVolumeMount()
                                .addNewVolumeMount()
                                    .withName("tmp")
                                    .withMountPath("/tmp")
                                .endVolumeMount()
                            .endContainer()
                            .addNewVolume()
                                .withName("source")
                                .withNewPersistentVolumeClaim()
                                    .withClaimName(spec.source.volume.claimName)
                                    .withReadOnly(true)
                                .endPersistentVolumeClaim()
                            .endVolume()
                            .addNewVolume()
                                .withName("output")
                                .withNewPersistentVolumeClaim()
                                    .withClaimName(spec.output.volume.claimName)
                                .endPersistentVolumeClaim()
                            .endVolume()
                            .addNewVolume()
                                .withName("tmp")
                                .withNewEmptyDir()
                                .endEmptyDir()
                            .endVolume()
                        .endSpec()
                    .endTemplate()
                .endSpec()
                .build());
    }

    /** The command line of the offline {@code curate} command, one option per spec field. */
    static List<String> args(CurationJobSpec spec) {
        List<String> args = new ArrayList<>();
        args.add(CurationLayout.COMMAND);
        option(args, "--input", CurationLayout.inPod(CurationLayout.SOURCE_DIR, spec.source.volume));
        option(args, "--output", CurationLayout.inPod(CurationLayout.OUTPUT_DIR, spec.output.volume));
        option(args, "--agent-route", spec.source.agentRoute);
        spec.source.tasks.forEach(task -> option(args, "--task", task));
        option(args, "--since", spec.source.since);
        option(args, "--until", spec.source.until);
        option(args, "--labels", spec.labels.name());
        option(args, "--dedup", spec.filters.dedup.name());
        option(args, "--near-threshold", spec.filters.nearThreshold);
        option(args, "--min-chars", spec.filters.minChars);
        option(args, "--max-tokens", spec.filters.maxTokens);
        option(args, "--require-valid-output", spec.filters.requireValidOutput);
        option(args, "--redact-pii", spec.filters.redactPII);
        option(args, "--eval-size", spec.split.evalSize);
        option(args, "--validation-ratio", spec.split.validationRatio);
        option(args, "--stratify-by", spec.split.stratifyBy.name());
        option(args, "--seed", spec.split.seed);
        option(args, "--summary-file", CurationLayout.TERMINATION_LOG);
        return args;
    }

    private static void option(List<String> args, String name, Object value) {
        if (value != null && !"".equals(value)) {
            args.add(name);
            args.add(String.valueOf(value));
        }
    }
}
