package io.slmfleet.render;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.HasMetadata;
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

    @Test
    void refusesToRenderNothing() throws IOException, InterruptedException {
        Process render = new ProcessBuilder("java", "-jar", "target/quarkus-app/quarkus-run.jar", "render").start();
        String err = new String(render.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        render.waitFor(120, TimeUnit.SECONDS);
        assertThat(render.exitValue()).isEqualTo(2);
        assertThat(err).contains("usage: render <file or directory>");
    }
}
