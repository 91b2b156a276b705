package io.slmfleet.evaluationjob;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.slmfleet.api.v1alpha1.AdapterStatus;
import io.slmfleet.api.v1alpha1.AgentRoute;
import io.slmfleet.api.v1alpha1.ClaimPath;
import io.slmfleet.api.v1alpha1.EvaluationJob;
import io.slmfleet.api.v1alpha1.LlmPricingSpec;
import io.slmfleet.api.v1alpha1.SLMSpecialist;
import io.slmfleet.api.v1alpha1.SLMSpecialistStatus;
import io.slmfleet.economics.GpuPrices;
import io.slmfleet.render.Manifests;
import io.slmfleet.testing.Golden;

/** Tier 1: the Job an EvaluationJob reconciles into, once its candidates resolved, against golden YAML. */
class EvaluationDesiredStateTest {

    static final GpuPrices PRICES = new GpuPrices(Map.of("NVIDIA-L4", 0.8), Map.of());
    static final EvaluationSettings SETTINGS = new EvaluationSettings("ghcr.io/slmfleet/slm-fleet-operator:0.1.0", "500m",
            "768Mi", PRICES);

    @Test
    void theInvoiceEvaluationAsksTheAdapterTheBaseModelAndTheTeacher() throws IOException {
        EvaluationJob job = example();

        Golden.assertMatches(Manifests.toYaml(List.of(EvaluationPodJob.desired(job, invoiceInputs(job), SETTINGS))),
                "evaluationjob/invoice.golden.yaml");
    }

    @Test
    void anEndpointGetsItsKeyFromItsSecretAndItsTokenPrices() throws IOException {
        EvaluationJob job = load("endpoint");
        CandidateResolver.Resolution resolution = CandidateResolver.resolve(job,
                new CandidateResolver.Observation(Map.of(), Map.of(), Set.of("hosted-llm")), PRICES);
        EvaluationInputs inputs = new EvaluationInputs("eval-sets", "invoice/eval.jsonl", resolution.candidates(), null);

        Job desired = EvaluationPodJob.desired(job, inputs, SETTINGS);

        Golden.assertMatches(Manifests.toYaml(List.of(desired)), "evaluationjob/endpoint.golden.yaml");
        assertThat(desired.getSpec().getTemplate().getSpec().getVolumes()).filteredOn(volume -> volume.getName().equals("data"))
                .singleElement().satisfies(volume -> assertThat(volume.getPersistentVolumeClaim().getReadOnly()).isTrue());
    }

    @Test
    void theCommandLineNamesEveryCandidateItsKeyVariableAndItsPrice() throws IOException {
        EvaluationJob job = example();

        assertThat(String.join(" ", EvaluationPodJob.args(job.getSpec(), invoiceInputs(job)))).isEqualTo("evaluate"
                + " --dataset /data/curated/invoice/2026-12/eval.jsonl"
                + " --candidate invoice-v3=http://invoice-parser.agents.svc:8000/v1,invoice-v3"
                + " --candidate base-1b=http://invoice-parser.agents.svc:8000/v1,meta/llama-3.2-1b-instruct"
                + " --candidate teacher=https://integrate.api.nvidia.com/v1,meta/llama-3.3-70b-instruct"
                + " --gpu-price invoice-v3=0.8 --gpu-price base-1b=0.8"
                + " --api-key-env teacher=CANDIDATE_2_API_KEY --token-price teacher=0.6,0.6"
                + " --max-examples 500 --concurrency 8 --timeout-seconds 30 --agreement-threshold 0.9"
                + " --min-agreement 0.95 --confidence 0.95 --response-schema /schema/schema.json"
                + " --report /output/evaluations/invoice-2026-12/report.jsonl --summary-file /dev/termination-log");
    }

    @Test
    void thePodReadsTheDataSetReadOnlyTakesKeysFromSecretsAndAsksForNoGpu() throws IOException {
        EvaluationJob job = example();
        PodSpec pod = EvaluationPodJob.desired(job, invoiceInputs(job), SETTINGS).getSpec().getTemplate().getSpec();
        Container container = pod.getContainers().get(0);

        // the report goes to the same claim: one volume, read-only where the data set is, writable at /output only
        assertThat(container.getVolumeMounts()).filteredOn(mount -> mount.getName().equals("data"))
                .extracting(mount -> mount.getMountPath() + " " + mount.getReadOnly())
                .containsExactly("/data true", "/output null");
        assertThat(pod.getVolumes()).filteredOn(volume -> volume.getPersistentVolumeClaim() != null).singleElement()
                .satisfies(volume -> assertThat(volume.getPersistentVolumeClaim().getClaimName()).isEqualTo("agent-usage"));
        assertThat(container.getEnv()).filteredOn(env -> env.getName().equals("CANDIDATE_2_API_KEY")).singleElement()
                .satisfies(env -> {
                    assertThat(env.getValue()).isNull();
                    assertThat(env.getValueFrom().getSecretKeyRef().getName()).isEqualTo("llm-api");
                });
        assertThat(container.getResources().getLimits()).containsOnlyKeys("cpu", "memory");
        assertThat(pod.getNodeSelector()).isNullOrEmpty();
        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(pod.getAutomountServiceAccountToken()).isFalse();
    }

    @Test
    void badInputFailsTheJobAtOnce() throws IOException {
        Job job = EvaluationPodJob.desired(example(), invoiceInputs(example()), SETTINGS);

        assertThat(job.getSpec().getPodFailurePolicy().getRules()).first().satisfies(rule -> {
            assertThat(rule.getAction()).isEqualTo("FailJob");
            assertThat(rule.getOnExitCodes().getValues()).containsExactly(EvaluationLayout.BAD_INPUT_EXIT_CODE);
        });
    }

    /** The example's candidates against the invoice agent's specialist (Ready, its adapter Mounted) and route. */
    static EvaluationInputs invoiceInputs(EvaluationJob job) throws IOException {
        CandidateResolver.Resolution resolution = CandidateResolver.resolve(job,
                new CandidateResolver.Observation(Map.of("invoice-parser", readySpecialist()),
                        Map.of("invoice-agent", invoiceRoute()), Set.of("llm-api")), PRICES);
        assertThat(resolution.problems()).isEmpty();
        ClaimPath evalFile = new ClaimPath("agent-usage", "curated/invoice/2026-12/eval.jsonl");
        return new EvaluationInputs(evalFile.claimName, evalFile.path, resolution.candidates(),
                job.getSpec().scoring.responseSchema.configMapRef);
    }

    static SLMSpecialist readySpecialist() throws IOException {
        SLMSpecialist specialist = Manifests.ofKind(Manifests.parse(Files.readString(
                Path.of("examples/invoice-agent/specialist.yaml"))), SLMSpecialist.class).get(0);
        SLMSpecialistStatus status = new SLMSpecialistStatus();
        status.phase = SLMSpecialistStatus.Phase.Ready;
        status.replicas = 1;
        status.endpoint = "http://invoice-parser.agents.svc:8000/v1";
        AdapterStatus adapter = new AdapterStatus();
        adapter.name = "invoice-v3";
        adapter.state = AdapterStatus.State.Mounted;
        status.adapters.add(adapter);
        specialist.setStatus(status);
        return specialist;
    }

    static AgentRoute invoiceRoute() throws IOException {
        AgentRoute route = Manifests.ofKind(Manifests.parse(Files.readString(Path.of("examples/invoice-agent/route.yaml"))),
                AgentRoute.class).get(0);
        route.getSpec().fallback.pricing = new LlmPricingSpec();
        route.getSpec().fallback.pricing.inputPerMillionTokens = 0.6;
        route.getSpec().fallback.pricing.outputPerMillionTokens = 0.6;
        return route;
    }

    static EvaluationJob example() throws IOException {
        return Manifests.ofKind(Manifests.parse(Files.readString(Path.of("examples/evaluationjob.yaml"))),
                EvaluationJob.class).get(0);
    }

    static EvaluationJob load(String name) throws IOException {
        return Manifests.ofKind(Manifests.parse(Files.readString(Path.of("src/test/resources/evaluationjob/" + name
                + ".yaml"))), EvaluationJob.class).get(0);
    }
}
