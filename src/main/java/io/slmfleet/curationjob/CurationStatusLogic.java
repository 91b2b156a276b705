package io.slmfleet.curationjob;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import io.slmfleet.api.v1alpha1.ClaimPath;
import io.slmfleet.api.v1alpha1.CurationJob;
import io.slmfleet.api.v1alpha1.CurationJobStatus;
import io.slmfleet.api.v1alpha1.CurationJobStatus.Files;
import io.slmfleet.api.v1alpha1.CurationJobStatus.Phase;
import io.slmfleet.common.Conditions;
import io.slmfleet.common.Jobs;
import io.slmfleet.common.PodDiagnosis;

/**
 * Derives a CurationJob's status from what was observed; it never looks anything up itself. The figures (records,
 * split, task clusters) come from the summary the curation pod leaves in its termination message. A finished run keeps
 * its status for good.
 */
public final class CurationStatusLogic {

    public static final String READY = "Ready";
    public static final String COMPLETE = "Complete";
    public static final String FAILED = "Failed";

    /** Reasons that ask the user to act: recorded as Warning events. */
    public static final Set<String> PROBLEMS = Set.of("SourceNotFound", "OutputVolumeNotFound", "Unschedulable",
            "ImagePullFailed", PodDiagnosis.QUOTA_EXCEEDED, PodDiagnosis.RUNTIME_CLASS_NOT_FOUND,
            PodDiagnosis.ADMISSION_DENIED, PodDiagnosis.POD_CREATION_FAILED);

    private static final ObjectMapper JSON = new ObjectMapper();

    private CurationStatusLogic() {
    }

    public static CurationJobStatus derive(CurationJob job, Observed observed, Clock clock) {
        CurationJobStatus previous = job.getStatus() == null ? new CurationJobStatus() : job.getStatus();
        long generation = Optional.ofNullable(job.getMetadata().getGeneration()).orElse(0L);
        if (isFinished(previous)) {
            CurationJobStatus kept = JSON.convertValue(previous, CurationJobStatus.class);
            kept.observedGeneration = generation;
            if (kept.records == null) {
                // The Job's condition can reach the operator before the pod's termination message does.
                summary(observed.pods()).ifPresent(figures -> {
                    kept.records = figures.records();
                    kept.split = figures.split();
                    kept.taskClusters = figures.taskClusters();
                });
            }
            return kept;
        }

        Optional<CurationSummary> summary = summary(observed.pods());
        Verdict verdict = verdict(job, observed, summary);
        String now = Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString();
        CurationJobStatus status = new CurationJobStatus();
        status.observedGeneration = generation;
        status.phase = verdict.phase;
        status.jobName = observed.job().isPresent() || verdict.phase != Phase.Pending ? CurationLayout.jobName(job)
                : previous.jobName;
        status.startTime = previous.startTime != null ? previous.startTime
                : verdict.phase == Phase.Pending ? null : observed.job().map(Job::getStatus).map(JobStatus::getStartTime)
                        .orElse(now);
        if (verdict.phase == Phase.Succeeded || verdict.phase == Phase.Failed) {
            status.completionTime = observed.job().map(Job::getStatus)
                    .map(s -> s.getCompletionTime() != null ? s.getCompletionTime()
                            : Jobs.condition(observed.job().get(), "Failed").map(JobCondition::getLastTransitionTime).orElse(null))
                    .orElse(now);
            summary.ifPresent(figures -> {
                status.records = figures.records();
                status.split = figures.split();
                status.taskClusters = figures.taskClusters();
            });
        }
        if (verdict.phase == Phase.Succeeded) {
            status.files = files(job.getSpec().output.volume);
        }
        status.conditions = new Conditions(previous.conditions, generation, clock)
                .set(READY, verdict.phase == Phase.Succeeded, verdict.reason, verdict.message)
                .set(COMPLETE, verdict.phase == Phase.Succeeded, verdict.phase == Phase.Succeeded ? verdict.reason
                        : verdict.phase.name(), verdict.message)
                .set(FAILED, verdict.phase == Phase.Failed, verdict.phase == Phase.Failed ? verdict.reason : "NoFailure",
                        verdict.phase == Phase.Failed ? verdict.message : "no failure")
                .build();
        return status;
    }

    public static boolean isFinished(CurationJobStatus status) {
        return status != null && (status.phase == Phase.Succeeded || status.phase == Phase.Failed);
    }

    static Files files(ClaimPath output) {
        Files files = new Files();
        files.train = CurationLayout.inClaim(output, CurationLayout.TRAIN_FILE);
        files.validation = CurationLayout.inClaim(output, CurationLayout.VALIDATION_FILE);
        files.eval = CurationLayout.inClaim(output, CurationLayout.EVAL_FILE);
        files.manifest = CurationLayout.inClaim(output, CurationLayout.MANIFEST_FILE);
        return files;
    }

    /** The phase with the one reason that best explains it. */
    private static Verdict verdict(CurationJob curation, Observed observed, Optional<CurationSummary> summary) {
        if (observed.blocker().isPresent()) {
            return new Verdict(Phase.Pending, observed.blocker().get().reason(), observed.blocker().get().message());
        }
        String jobName = CurationLayout.jobName(curation);
        if (observed.job().isEmpty()) {
            return new Verdict(Phase.Pending, "Creating", "creating Job " + jobName);
        }
        Job job = observed.job().get();
        if (Jobs.condition(job, "Complete").isPresent()) {
            String counts = summary.map(CurationSummary::split)
                    .map(split -> ": " + split.train + " training, " + split.validation + " validation and " + split.eval
                            + " evaluation records")
                    .orElse("");
            return new Verdict(Phase.Succeeded, "DataSetWritten", "data set written to claim "
                    + curation.getSpec().output.volume.claimName + " at " + curation.getSpec().output.volume.path + counts);
        }
        Optional<JobCondition> failed = Jobs.condition(job, "Failed");
        if (failed.isPresent()) {
            // The command's own reason (NoRecords, OutputExists, ...) explains more than the Job's PodFailurePolicy.
            Optional<CurationSummary> told = summary.filter(s -> !s.succeeded() && s.reason() != null);
            if (told.isPresent()) {
                return new Verdict(Phase.Failed, told.get().reason(), Optional.ofNullable(told.get().message())
                        .orElse("curation failed: " + told.get().reason()));
            }
            String reason = Optional.ofNullable(failed.get().getReason()).orElse("JobFailed");
            return new Verdict(Phase.Failed, reason, "Job " + jobName + " failed"
                    + Optional.ofNullable(failed.get().getMessage()).map(m -> ": " + m).orElse(""));
        }
        if (Boolean.TRUE.equals(job.getSpec().getSuspend())) {
            return new Verdict(Phase.Pending, "Queued", "Job " + jobName + " is suspended");
        }
        Optional<PodDiagnosis.Problem> podProblem = PodDiagnosis.problems(observed.pods())
                .filter(problem -> PodDiagnosis.UNSCHEDULABLE.equals(problem.reason())
                        || PodDiagnosis.IMAGE_PULL_FAILED.equals(problem.reason()))
                .findFirst();
        if (podProblem.isPresent()) {
            return new Verdict(Phase.Pending, podProblem.get().reason(), podProblem.get().message());
        }
        if (observed.podCreationFailure().isPresent()) {
            PodDiagnosis.Problem refused = PodDiagnosis.creationFailure("Job " + jobName, observed.podCreationFailure().get());
            return new Verdict(Phase.Pending, refused.reason(), refused.message());
        }
        JobStatus jobStatus = Optional.ofNullable(job.getStatus()).orElseGet(JobStatus::new);
        String retries = jobStatus.getFailed() != null && jobStatus.getFailed() > 0
                ? "; " + jobStatus.getFailed() + " failed pod(s) so far, backoffLimit " + curation.getSpec().backoffLimit : "";
        boolean podRunning = observed.pods().stream()
                .anyMatch(pod -> pod.getStatus() != null && "Running".equals(pod.getStatus().getPhase()));
        if ((jobStatus.getReady() != null && jobStatus.getReady() > 0) || podRunning) {
            return new Verdict(Phase.Running, "Curating", "Job " + jobName + " is curating" + retries);
        }
        return new Verdict(Phase.Pending, "Starting", "Job " + jobName + " is starting its pod" + retries);
    }

    /** The summary of the latest pod that left one: the one that succeeded, or the one whose failure ended the run. */
    private static Optional<CurationSummary> summary(List<Pod> pods) {
        return pods.stream()
                .flatMap(pod -> PodDiagnosis.containerStatuses(pod).stream())
                .filter(container -> CurationLayout.CONTAINER.equals(container.getName()))
                .map(container -> container.getState() == null ? null : container.getState().getTerminated())
                .filter(Objects::nonNull)
                .sorted((a, b) -> String.valueOf(b.getFinishedAt()).compareTo(String.valueOf(a.getFinishedAt())))
                .map(ContainerStateTerminated::getMessage)
                .map(CurationSummary::parse)
                .flatMap(Optional::stream)
                .findFirst();
    }

    private record Verdict(Phase phase, String reason, String message) {
    }
}
