package io.slmfleet.render;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.slmfleet.testing.Golden;

/**
 * The README's main command, run as a user runs it: the packaged application, offline (no cluster configured),
 * printing what the operator would apply for the invoice-processing agent. Runs after {@code package} (failsafe).
 */
class RenderCommandIT {

    @Test
    void rendersTheInvoiceAgentWithNoCluster() throws Exception {
        Process render = new ProcessBuilder("java", "-jar", "target/quarkus-app/quarkus-run.jar", "render",
                "examples/invoice-agent/")
                .redirectError(ProcessBuilder.Redirect.PIPE)
                .start();
        String out = new String(render.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(render.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(render.waitFor(120, TimeUnit.SECONDS)).isTrue();

        assertThat(render.exitValue()).as("exit code; stderr: %s", err).isZero();
        assertThat(err).as("stderr").doesNotContain("Exception");
        List<HasMetadata> objects = Manifests.parse(out);
        assertThat(objects).extracting(o -> o.getKind() + "/" + o.getMetadata().getName()).contains(
                "Deployment/invoice-parser", "Service/invoice-parser", "PersistentVolumeClaim/invoice-parser-cache",
                "Job/cur-invoice-2026-12-curate", "ConfigMap/ft-invoice-v3-config", "Job/ft-invoice-v3-1",
                "ConfigMap/invoice-agent-routing", "Deployment/invoice-agent-router", "Service/invoice-agent-router");
        Golden.assertMatches(out, "render/invoice-agent.golden.yaml");
    }

    /** The EvaluationJob example beside the invoice agent it evaluates: its Job as it will be once everything is ready. */
    @Test
    void rendersTheEvaluationJobOnceItsInputsAreInTheInput() throws Exception {
        Rendered all = render("examples/");
        assertThat(all.exit()).as("exit code; stderr: %s", all.err()).isZero();
        assertThat(all.err()).as("stderr").doesNotContain("EvaluationJob");
        Job evaluation = Manifests.ofKind(Manifests.parse(all.out()), Job.class).stream()
                .filter(job -> job.getMetadata().getName().equals("eval-invoice-2026-12-evaluate")).findFirst()
                .orElseThrow();
        assertThat(evaluation.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs()).containsSubsequence(
                "evaluate", "--dataset", "/data/curated/invoice/2026-12/eval.jsonl",
                "--candidate", "invoice-v3=http://invoice-parser.agents.svc:8000/v1,invoice-v3",
                "--candidate", "base-1b=http://invoice-parser.agents.svc:8000/v1,meta/llama-3.2-1b-instruct",
                "--candidate", "teacher=https://integrate.api.nvidia.com/v1,meta/llama-3.3-70b-instruct");

        Rendered alone = render("examples/evaluationjob.yaml");
        assertThat(alone.exit()).isZero();
        assertThat(alone.out().strip()).isIn("", "[]");
        assertThat(alone.err()).contains("render: EvaluationJob eval-invoice-2026-12 would wait: its CurationJob "
                + "cur-invoice-2026-12 is not in the input");
    }

    private record Rendered(int exit, String out, String err) {
    }

    private static Rendered render(String path) throws IOException, InterruptedException {
        Process render = new ProcessBuilder("java", "-jar", "target/quarkus-app/quarkus-run.jar", "render", path)
                .redirectError(ProcessBuilder.Redirect.PIPE)
                .start();
        String out = new String(render.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(render.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(render.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new Rendered(render.exitValue(), out, err);
    }

    @Test
    void refusesToRenderNothing() throws IOException, InterruptedException {
        Process render = new ProcessBuilder("java", "-jar", "target/quarkus-app/quarkus-run.jar", "render").start();
        String err = new String(render.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        render.waitFor(120, TimeUnit.SECONDS);
        assertThat(render.exitValue()).isEqualTo(2);
        assertThat(err).contains("usage: render <file or directory>");
    }
}
