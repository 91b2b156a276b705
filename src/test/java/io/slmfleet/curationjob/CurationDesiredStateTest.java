package io.slmfleet.curationjob;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.slmfleet.api.v1alpha1.CurationJob;
import io.slmfleet.render.Manifests;
import io.slmfleet.testing.Golden;

/** Tier 1: the Job a CurationJob reconciles into, against golden YAML. */
class CurationDesiredStateTest {

    static final CurationSettings SETTINGS = new CurationSettings("ghcr.io/slmfleet/slm-fleet-operator:0.1.0", "1", "768Mi");

    @ParameterizedTest
    @ValueSource(strings = { "invoice", "minimal" })
    void reconcilesIntoTheGoldenJob(String name) throws IOException {
        Golden.assertMatches(Manifests.toYaml(List.of(CurationPodJob.desired(load(name), SETTINGS))),
                "curationjob/" + name + ".golden.yaml");
    }

    @Test
    void theCommandLineCarriesEverySelectionFilterAndSplitSetting() throws IOException {
        List<String> args = CurationPodJob.args(load("invoice").getSpec());

        assertThat(String.join(" ", args)).isEqualTo("curate --input /source/raw/invoice --output /output/curated/invoice/2026-12"
                + " --agent-route invoice-agent --task parsing --since 2026-11-01T00:00:00Z --labels teacher --dedup near"
                + " --near-threshold 0.9 --min-chars 1 --max-tokens 8192 --require-valid-output true --redact-pii true"
                + " --eval-size 200 --validation-ratio 0.1 --stratify-by toolName --seed 42"
                + " --summary-file /dev/termination-log");
    }

    @Test
    void thePodReadsTheUsageReadOnlyAndAsksForNoGpu() throws IOException {
        PodSpec pod = CurationPodJob.desired(load("invoice"), SETTINGS).getSpec().getTemplate().getSpec();
        Container container = pod.getContainers().get(0);

        assertThat(container.getVolumeMounts()).filteredOn(mount -> mount.getName().equals("source"))
                .singleElement().satisfies(mount -> assertThat(mount.getReadOnly()).isTrue());
        assertThat(pod.getVolumes()).filteredOn(volume -> volume.getName().equals("source"))
                .singleElement().satisfies(volume -> assertThat(volume.getPersistentVolumeClaim().getReadOnly()).isTrue());
        assertThat(container.getResources().getLimits()).containsOnlyKeys("cpu", "memory");
        assertThat(pod.getNodeSelector()).isNullOrEmpty();
        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(pod.getAutomountServiceAccountToken()).isFalse();
    }

    @Test
    void aLongNameIsCutToAValidJobNameThatStaysDistinct() throws IOException {
        CurationJob job = load("minimal");
        job.getMetadata().setName("a".repeat(70) + "-one");
        CurationJob sibling = load("minimal");
        sibling.getMetadata().setName("a".repeat(70) + "-two");

        String name = CurationLayout.jobName(job);
        assertThat(name).hasSizeLessThanOrEqualTo(63).endsWith("-curate").matches("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$");
        assertThat(CurationLayout.jobName(sibling)).isNotEqualTo(name);
        assertThat(CurationLayout.jobName(load("minimal"))).isEqualTo("first-data-set-curate");
    }

    @Test
    void badInputFailsTheJobAtOnceAndEvictionIsNotCounted() throws IOException {
        Job job = CurationPodJob.desired(load("minimal"), SETTINGS);

        assertThat(job.getSpec().getPodFailurePolicy().getRules()).satisfiesExactly(
                rule -> {
                    assertThat(rule.getAction()).isEqualTo("FailJob");
                    assertThat(rule.getOnExitCodes().getValues()).containsExactly(CurationLayout.BAD_INPUT_EXIT_CODE);
                },
                rule -> assertThat(rule.getAction()).isEqualTo("Ignore"));
    }

    static CurationJob load(String name) throws IOException {
        return Manifests.ofKind(Manifests.parse(Files.readString(Path.of("src/test/resources/curationjob/" + name + ".yaml"))),
                CurationJob.class).get(0);
    }
}
