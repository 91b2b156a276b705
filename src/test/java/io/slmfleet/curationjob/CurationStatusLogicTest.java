package io.slmfleet.curationjob;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.slmfleet.api.v1alpha1.CurationJob;
import io.slmfleet.api.v1alpha1.CurationJobStatus;
import io.slmfleet.api.v1alpha1.CurationJobStatus.Phase;
import io.slmfleet.common.Conditions;

/** Tier 1: a CurationJob's status from what was observed, including what the pod's termination message may hold. */
class CurationStatusLogicTest {

    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-02T10:00:00Z"), ZoneOffset.UTC);

    @Test
    void aTerminationMessageThatIsNotTheSummaryIsIgnored() {
        assertThat(CurationSummary.parse("Exception in thread \"main\" java.lang.OutOfMemoryError")).isEmpty();
        assertThat(CurationSummary.parse("[1, 2]")).isEmpty();
        assertThat(CurationSummary.parse("{\"trainLoss\": 0.4}")).as("no outcome: not ours").isEmpty();
        assertThat(CurationSummary.parse("")).isEmpty();
        assertThat(CurationSummary.parse(null)).isEmpty();
    }

    @Test
    void fieldsTheStatusDoesNotShowAreIgnoredAndZeroDropsLeftOut() {
        CurationSummary summary = CurationSummary.parse("{\"outcome\":\"Succeeded\",\"elapsedSeconds\":12.5,"
                + "\"records\":{\"read\":10,\"kept\":7,\"dropped\":{\"duplicate\":3,\"tooLong\":0}}}").orElseThrow();

        assertThat(summary.succeeded()).isTrue();
        assertThat(summary.records().read).isEqualTo(10L);
        assertThat(summary.records().dropped).containsExactly(java.util.Map.entry("duplicate", 3L));
        assertThat(summary.split()).isNull();
        assertThat(summary.taskClusters()).isNull();
    }

    @Test
    void aJobThatFailedWithoutASummaryReportsTheJobsReason() throws IOException {
        CurationJob curation = CurationDesiredStateTest.load("minimal");
        Job job = failedJob("DeadlineExceeded", "Job was active longer than specified deadline");
        Pod pod = terminated(1, "java.io.IOException: Stale file handle");

        CurationJobStatus status = CurationStatusLogic.derive(curation,
                new Observed(Optional.of(job), List.of(pod), Optional.empty(), Optional.empty()), CLOCK);

        assertThat(status.phase).isEqualTo(Phase.Failed);
        assertThat(Conditions.find(status.conditions, CurationStatusLogic.FAILED).orElseThrow().getReason())
                .isEqualTo("DeadlineExceeded");
        assertThat(Conditions.find(status.conditions, CurationStatusLogic.FAILED).orElseThrow().getMessage())
                .isEqualTo("Job first-data-set-curate failed: Job was active longer than specified deadline");
        assertThat(status.records).isNull();
        assertThat(status.observedGeneration).isNotNull();
    }

    @Test
    void aFinishedRunKeepsItsStatusAndFillsInFiguresThatArriveLate() throws IOException {
        CurationJob curation = CurationDesiredStateTest.load("minimal");
        CurationJobStatus finished = new CurationJobStatus();
        finished.phase = Phase.Succeeded;
        finished.completionTime = "2026-12-02T09:00:00Z";
        curation.setStatus(finished);

        CurationJobStatus status = CurationStatusLogic.derive(curation, Observed.finished(List.of(terminated(0,
                "{\"outcome\":\"Succeeded\",\"records\":{\"read\":10,\"kept\":7}}"))), CLOCK);

        assertThat(status.phase).isEqualTo(Phase.Succeeded);
        assertThat(status.completionTime).isEqualTo("2026-12-02T09:00:00Z");
        assertThat(status.records.kept).isEqualTo(7L);
    }

    private static Job failedJob(String reason, String message) {
        return new JobBuilder()
                .withNewMetadata().withName("first-data-set-curate").endMetadata()
                .withNewSpec().endSpec()
                .withNewStatus()
                    .addNewCondition()
                        .withType("Failed")
                        .withStatus("True")
                        .withReason(reason)
                        .withMessage(message)
                        .withLastTransitionTime("2026-12-02T09:59:00Z")
                    .endCondition()
                .endStatus()
                .build();
    }

    private static Pod terminated(int exitCode, String message) {
        return new PodBuilder()
                .withNewMetadata().withName("first-data-set-curate-abcde").endMetadata()
                .withNewStatus()
                    .addNewContainerStatus()
                        .withName(CurationLayout.CONTAINER)
                        .withNewState()
                            .withNewTerminated()
                                .withExitCode(exitCode)
                                .withMessage(message)
                            .endTerminated()
                        .endState()
                    .endContainerStatus()
                .endStatus()
                .build();
    }
}
