package io.slmfleet.evaluationjob;

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
import io.slmfleet.api.v1alpha1.EvaluationJob;
import io.slmfleet.api.v1alpha1.EvaluationJobStatus;
import io.slmfleet.api.v1alpha1.EvaluationJobStatus.Phase;
import io.slmfleet.common.Conditions;
import io.slmfleet.common.Jobs;
import io.slmfleet.common.PodDiagnosis;
import io.slmfleet.evaluation.EvaluationSummary;

/**
 * Derives an EvaluationJob's status from what was observed; it never looks anything up itself. The leaderboard and the
 * recommendation come from the summary the evaluation pod leaves in its termination message. A finished run keeps its
 * status for good.
 */
public final class EvaluationStatusLogic {

    public static final String READY = "Ready";
    public static final String COMPLETE = "Complete";
    public static final String FAILED = "Failed";

    /** Reasons that ask the user to act: recorded as Warning events. */
    public static final Set<String> PROBLEMS = Set.of("DatasetNotFound", "DatasetFailed", "OutputVolumeNotFound",
            "ResponseSchemaNotFound", CandidateResolver.CANDIDATE_NOT_FOUND, CandidateResolver.SECRET_NOT_FOUND,
            "Unschedulable", "ImagePullFailed", PodDiagnosis.QUOTA_EXCEEDED, PodDiagnosis.RUNTIME_CLASS_NOT_FOUND,
            PodDiagnosis.ADMISSION_DENIED, PodDiagnosis.POD_CREATION_FAILED);

    private static final ObjectMapper JSON = new ObjectMapper();

    private EvaluationStatusLogic() {
    }

    public static EvaluationJobStatus derive(EvaluationJob job, Observed observed, Clock clock) {
        EvaluationJobStatus previous = job.getStatus() == null ? new EvaluationJobStatus() : job.getStatus();
        long generation = Optional.ofNullable(job.getMetadata().getGeneration()).orElse(0L);
        if (isFinished(previous)) {
            EvaluationJobStatus kept = JSON.convertValue(previous, EvaluationJobStatus.class);
            kept.observedGeneration = generation;
            if (kept.phase == Phase.Succeeded && kept.leaderboard == null) {
                // The Job's condition can reach the operator before the pod's termination message does.
                summary(observed.pods()).ifPresent(figures -> ranked(kept, figures));
            }
            return kept;
        }

        Optional<EvaluationSummary> summary = summary(observed.pods());
        Verdict verdict = verdict(job, observed, summary);
        String now = Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString();
        EvaluationJobStatus status = new EvaluationJobStatus();
        status.observedGeneration = generation;
        status.phase = verdict.phase;
        status.jobName = observed.job().isPresent() || verdict.phase != Phase.Pending ? EvaluationLayout.jobName(job)
                : previous.jobName;
        status.startTime = previous.startTime != null ? previous.startTime
                : verdict.phase == Phase.Pending ? null : observed.job().map(Job::getStatus).map(JobStatus::getStartTime)
                        .orElse(now);
        if (verdict.phase == Phase.Succeeded || verdict.phase == Phase.Failed) {
            status.completionTime = observed.job().map(Job::getStatus)
                    .map(s -> s.getCompletionTime() != null ? s.getCompletionTime()
                            : Jobs.condition(observed.job().get(), "Failed").map(JobCondition::getLastTransitionTime).orElse(null))
                    .orElse(now);
        }
        if (verdict.phase == Phase.Succeeded) {
            summary.filter(EvaluationSummary::isSucceeded).ifPresent(figures -> ranked(status, figures));
            if (job.getSpec().output != null) {
                status.report = EvaluationLayout.reportInClaim(job.getSpec().output);
            }
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

    public static boolean isFinished(EvaluationJobStatus status) {
        return status != null && (status.phase == Phase.Succeeded || status.phase == Phase.Failed);
    }

    /** The leaderboard and the recommendation, as the pod reported them. */
    private static void ranked(EvaluationJobStatus status, EvaluationSummary summary) {
        status.examples = summary.examples();
        status.skipped = summary.skipped();
        status.leaderboard = summary.candidates().stream().map(EvaluationStatusLogic::row).toList();
        status.recommendation = new EvaluationJobStatus.Recommendation();
        status.recommendation.candidate = summary.recommendation().candidate();
        status.recommendation.reason = summary.recommendation().reason();
    }

    private static EvaluationJobStatus.LeaderboardRow row(EvaluationSummary.CandidateSummary figures) {
        EvaluationJobStatus.LeaderboardRow row = new EvaluationJobStatus.LeaderboardRow();
        row.name = figures.name();
        row.examples = figures.examples();
        row.agree = figures.agree();
        row.disagree = figures.disagree();
        row.invalid = figures.invalid();
        row.errors = figures.error();
        row.referenceErrors = figures.referenceErrors();
        row.agreement = figures.agreement();
        row.agreementLower = figures.agreementLower();
        row.agreementUpper = figures.agreementUpper();
        row.meanScore = figures.meanScore();
        row.invalidRate = figures.invalidRate();
        row.errorRate = figures.errorRate();
        row.p50Millis = figures.p50Ms();
        row.p95Millis = figures.p95Ms();
        row.outputTokensPerSecond = figures.outputTokensPerSecond();
        row.costPer1k = figures.costPer1k();
        return row;
    }

    /** The phase with the one reason that best explains it. */
    private static Verdict verdict(EvaluationJob evaluation, Observed observed, Optional<EvaluationSummary> summary) {
        if (observed.blocker().isPresent()) {
            return new Verdict(Phase.Pending, observed.blocker().get().reason(), observed.blocker().get().message());
        }
        String jobName = EvaluationLayout.jobName(evaluation);
        if (observed.job().isEmpty()) {
            return new Verdict(Phase.Pending, "Creating", "creating Job " + jobName);
        }
        Job job = observed.job().get();
        if (Jobs.condition(job, "Complete").isPresent()) {
            String ranked = summary.filter(EvaluationSummary::isSucceeded)
                    .map(s -> ": " + s.examples() + " examples, " + Optional.ofNullable(s.recommendation().candidate())
                            .map(name -> "recommended " + name).orElse("no candidate recommended"))
                    .orElse("");
            return new Verdict(Phase.Succeeded, "Evaluated", "candidates evaluated" + ranked);
        }
        Optional<JobCondition> failed = Jobs.condition(job, "Failed");
        if (failed.isPresent()) {
            // The command's own reason (EmptyDataset, ApiKeyMissing, ...) explains more than the Job's PodFailurePolicy.
            Optional<EvaluationSummary> told = summary.filter(s -> !s.isSucceeded() && s.reason() != null);
            if (told.isPresent()) {
                return new Verdict(Phase.Failed, told.get().reason(), Optional.ofNullable(told.get().message())
                        .orElse("evaluation failed: " + told.get().reason()));
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
                ? "; " + jobStatus.getFailed() + " failed pod(s) so far, backoffLimit " + evaluation.getSpec().backoffLimit
                : "";
        boolean podRunning = observed.pods().stream()
                .anyMatch(pod -> pod.getStatus() != null && "Running".equals(pod.getStatus().getPhase()));
        if ((jobStatus.getReady() != null && jobStatus.getReady() > 0) || podRunning) {
            return new Verdict(Phase.Running, "Evaluating", "Job " + jobName + " is asking the candidates" + retries);
        }
        return new Verdict(Phase.Pending, "Starting", "Job " + jobName + " is starting its pod" + retries);
    }

    /** The summary of the latest pod that left one: the one that succeeded, or the one whose failure ended the run. */
    private static Optional<EvaluationSummary> summary(List<Pod> pods) {
        return pods.stream()
                .flatMap(pod -> PodDiagnosis.containerStatuses(pod).stream())
                .filter(container -> EvaluationLayout.CONTAINER.equals(container.getName()))
                .map(container -> container.getState() == null ? null : container.getState().getTerminated())
                .filter(Objects::nonNull)
                .sorted((a, b) -> String.valueOf(b.getFinishedAt()).compareTo(String.valueOf(a.getFinishedAt())))
                .map(ContainerStateTerminated::getMessage)
                .map(EvaluationSummary::parse)
                .flatMap(Optional::stream)
                .findFirst();
    }

    private record Verdict(Phase phase, String reason, String message) {
    }
}
