package io.slmfleet.finetunejob;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import io.slmfleet.api.v1alpha1.FineTuneJob;
import io.slmfleet.api.v1alpha1.FineTuneJobStatus;
import io.slmfleet.api.v1alpha1.FineTuneJobStatus.AdapterLocation;
import io.slmfleet.api.v1alpha1.FineTuneJobStatus.Phase;
import io.slmfleet.api.v1alpha1.FineTuneJobStatus.TrainingMetrics;
import io.slmfleet.common.Conditions;
import io.slmfleet.common.Jobs;
import io.slmfleet.common.PodDiagnosis;

/**
 * Derives a FineTuneJob's status from what was observed; it never looks anything up itself. A finished run (Succeeded
 * or Failed) keeps its status for good: only metrics still missing are filled in once the pod shows them.
 */
public final class FineTuneStatusLogic {

    public static final String READY = "Ready";
    public static final String COMPLETE = "Complete";
    public static final String FAILED = "Failed";
    /** The reason of a run whose data set the trainer could not read, found before training. */
    public static final String DATASET_INCOMPATIBLE = "DatasetIncompatible";

    /** Reasons that ask the user to act: recorded as Warning events. */
    public static final Set<String> PROBLEMS = Set.of("DatasetNotFound", "DatasetFailed", "SecretNotFound", "BaseModelNotFound",
            "OutputVolumeNotFound", "AdapterNameTaken", "UnsupportedByPreset", "Unschedulable", "ImagePullFailed",
            PodDiagnosis.QUOTA_EXCEEDED, PodDiagnosis.RUNTIME_CLASS_NOT_FOUND, PodDiagnosis.ADMISSION_DENIED,
            PodDiagnosis.POD_CREATION_FAILED);

    private static final ObjectMapper JSON = new ObjectMapper();

    private FineTuneStatusLogic() {
    }

    public static FineTuneJobStatus derive(FineTuneJob job, Observed observed, Clock clock) {
        FineTuneJobStatus previous = job.getStatus() == null ? new FineTuneJobStatus() : job.getStatus();
        long generation = Optional.ofNullable(job.getMetadata().getGeneration()).orElse(0L);
        if (isFinished(previous)) {
            FineTuneJobStatus kept = JSON.convertValue(previous, FineTuneJobStatus.class);
            kept.observedGeneration = generation;
            if (kept.phase == Phase.Succeeded && kept.metrics == null) {
                kept.metrics = metrics(observed.pods()).orElse(null);
            }
            return kept;
        }

        Verdict verdict = verdict(job, observed);
        String now = Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString();
        FineTuneJobStatus status = new FineTuneJobStatus();
        status.observedGeneration = generation;
        status.phase = verdict.phase;
        status.attempts = observed.attempts() == 0 ? null : observed.attempts();
        status.jobName = observed.jobName();
        status.adapter = new AdapterLocation(job.getSpec().output.adapterName, job.getSpec().output.volume.claimName,
                Layout.adapterPath(job));
        status.startTime = previous.startTime != null ? previous.startTime
                : verdict.phase == Phase.Running || verdict.phase == Phase.Succeeded ? startTime(observed).orElse(now) : null;
        if (verdict.phase == Phase.Succeeded) {
            status.completionTime = observed.job().map(Job::getStatus).map(JobStatus::getCompletionTime).orElse(now);
            status.metrics = metrics(observed.pods()).orElse(null);
        } else if (verdict.phase == Phase.Failed) {
            status.completionTime = observed.job().flatMap(j -> Jobs.condition(j, "Failed"))
                    .map(JobCondition::getLastTransitionTime).orElse(now);
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

    public static boolean isFinished(FineTuneJobStatus status) {
        return status != null && (status.phase == Phase.Succeeded || status.phase == Phase.Failed);
    }

    /** The phase with the one reason that best explains it. */
    private static Verdict verdict(FineTuneJob ftj, Observed observed) {
        if (observed.blocker().isPresent()) {
            Observed.Blocker blocker = observed.blocker().get();
            return new Verdict(blocker.permanent() ? Phase.Failed : Phase.Pending, blocker.reason(), blocker.message());
        }
        if (observed.job().isEmpty()) {
            return new Verdict(Phase.Pending, "Creating", "creating Job " + observed.jobName());
        }
        Job job = observed.job().get();
        String attempt = " (attempt " + observed.attempts() + ")";
        if (Jobs.condition(job, "Complete").isPresent()) {
            return new Verdict(Phase.Succeeded, "AdapterPublished", "adapter " + ftj.getSpec().output.adapterName
                    + " published in claim " + ftj.getSpec().output.volume.claimName + " at " + Layout.adapterPath(ftj) + "/"
                    + attempt);
        }
        Optional<JobCondition> failed = Jobs.condition(job, "Failed");
        if (failed.isPresent()) {
            Optional<String> configurationError = configurationError(observed.pods());
            // the data set checked before training: the user's fix is in the data, say so in the reason
            String reason = configurationError.filter(m -> m.startsWith(TrainingData.INCOMPATIBLE)).map(m -> DATASET_INCOMPATIBLE)
                    .orElse(Optional.ofNullable(failed.get().getReason()).orElse("JobFailed"));
            String message = "Job " + job.getMetadata().getName() + " failed" + attempt
                    + Optional.ofNullable(failed.get().getMessage()).map(m -> ": " + m).orElse("")
                    + configurationError.map(m -> "; trainer: " + m).orElse("");
            return new Verdict(Phase.Failed, reason, message);
        }
        if (Boolean.TRUE.equals(job.getSpec().getSuspend())) {
            String queue = ftj.getSpec().queueName;
            return new Verdict(Phase.Pending, "Queued", queue == null || queue.isEmpty()
                    ? "Job " + job.getMetadata().getName() + " is suspended"
                    : "waiting for admission by Kueue queue " + queue);
        }
        Optional<Verdict> podProblem = podProblem(observed.pods());
        if (podProblem.isPresent()) {
            return podProblem.get();
        }
        if (observed.podCreationFailure().isPresent()) {
            // The Job controller keeps retrying: the run waits until quota frees up or the cluster is fixed.
            PodDiagnosis.Problem refused = PodDiagnosis.creationFailure("Job " + job.getMetadata().getName(),
                    observed.podCreationFailure().get());
            return new Verdict(Phase.Pending, refused.reason(), refused.message() + attempt);
        }
        JobStatus jobStatus = Optional.ofNullable(job.getStatus()).orElseGet(JobStatus::new);
        String retries = orZero(jobStatus.getFailed()) > 0
                ? "; " + jobStatus.getFailed() + " failed pod(s) so far, backoffLimit " + ftj.getSpec().backoffLimit : "";
        boolean podRunning = observed.pods().stream()
                .anyMatch(pod -> pod.getStatus() != null && "Running".equals(pod.getStatus().getPhase()));
        if (orZero(jobStatus.getReady()) > 0 || podRunning) {
            return new Verdict(Phase.Running, "Training", "Job " + job.getMetadata().getName() + " is training" + attempt + retries);
        }
        return new Verdict(Phase.Pending, "Starting", "Job " + job.getMetadata().getName()
                + " is starting its pod (scheduling, image pull)" + attempt + retries);
    }

    /** A training pod that cannot be placed or pulled waits (Pending) until the cluster or the image is fixed. */
    private static Optional<Verdict> podProblem(List<Pod> pods) {
        return PodDiagnosis.problems(pods)
                .filter(problem -> PodDiagnosis.UNSCHEDULABLE.equals(problem.reason())
                        || PodDiagnosis.IMAGE_PULL_FAILED.equals(problem.reason()))
                .findFirst()
                .map(problem -> new Verdict(Phase.Pending, problem.reason(), problem.message()));
    }

    /** The trainer's one-line JSON summary, from the termination message of the pod that succeeded. */
    static Optional<TrainingMetrics> metrics(List<Pod> pods) {
        return terminatedTrainers(pods)
                .filter(terminated -> Integer.valueOf(0).equals(terminated.getExitCode()))
                .map(ContainerStateTerminated::getMessage)
                .filter(Objects::nonNull)
                .map(FineTuneStatusLogic::parseSummary)
                .flatMap(Optional::stream)
                .findFirst();
    }

    private static Optional<TrainingMetrics> parseSummary(String message) {
        try {
            JsonNode summary = JSON.readTree(message.trim());
            if (summary == null || !summary.isObject()) {
                return Optional.empty();
            }
            TrainingMetrics metrics = new TrainingMetrics();
            metrics.trainLoss = number(summary, "trainLoss");
            metrics.evalLoss = number(summary, "evalLoss");
            metrics.epochsCompleted = number(summary, "epochsCompleted");
            return metrics.trainLoss == null && metrics.evalLoss == null && metrics.epochsCompleted == null
                    ? Optional.empty() : Optional.of(metrics);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return Optional.empty();
        }
    }

    private static Double number(JsonNode summary, String field) {
        JsonNode value = summary.get(field);
        return value != null && value.isNumber() ? value.asDouble() : null;
    }

    /** The wrapper's own message of a configuration error (exit code 2), never the log tail of another failure. */
    private static Optional<String> configurationError(List<Pod> pods) {
        return terminatedTrainers(pods)
                .filter(terminated -> Integer.valueOf(Layout.CONFIGURATION_ERROR_EXIT_CODE).equals(terminated.getExitCode()))
                .map(ContainerStateTerminated::getMessage)
                .filter(Objects::nonNull)
                .map(String::trim)
                .filter(message -> message.startsWith("configuration error:") || message.startsWith(TrainingData.INCOMPATIBLE))
                .findFirst();
    }

    private static java.util.stream.Stream<ContainerStateTerminated> terminatedTrainers(List<Pod> pods) {
        return pods.stream()
                .flatMap(pod -> PodDiagnosis.containerStatuses(pod).stream())
                .filter(container -> Layout.CONTAINER.equals(container.getName()))
                .map(container -> container.getState() == null ? null : container.getState().getTerminated())
                .filter(Objects::nonNull);
    }

    private static Optional<String> startTime(Observed observed) {
        return observed.job().map(Job::getStatus).map(JobStatus::getStartTime);
    }

    private static int orZero(Integer value) {
        return value == null ? 0 : value;
    }

    private record Verdict(Phase phase, String reason, String message) {
    }
}
