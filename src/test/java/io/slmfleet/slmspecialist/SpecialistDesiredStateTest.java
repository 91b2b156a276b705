package io.slmfleet.slmspecialist;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.slmfleet.api.v1alpha1.AdapterStatus;
import io.slmfleet.api.v1alpha1.FineTuneJob;
import io.slmfleet.api.v1alpha1.SLMSpecialist;
import io.slmfleet.render.Manifests;
import io.slmfleet.testing.Golden;

/** Tier 1: the objects a specialist reconciles into, compared with reviewed golden YAML. */
class SpecialistDesiredStateTest {

    static final NimSettings SETTINGS = new NimSettings(Duration.ofMinutes(60), "16Gi");

    @ParameterizedTest
    @ValueSource(strings = { "minimal", "full", "no-cache", "requests-waiting-hpa" })
    void reconcilesIntoTheGoldenObjects(String name) throws IOException {
        List<HasMetadata> input = Manifests.parse(Files.readString(Path.of("src/test/resources/slmspecialist/" + name + ".yaml")));
        SLMSpecialist specialist = Manifests.ofKind(input, SLMSpecialist.class).get(0);
        List<FineTuneJob> jobs = Manifests.ofKind(input, FineTuneJob.class);

        ResolvedAdapters adapters = ResolvedAdapters.resolve(specialist,
                job -> jobs.stream().filter(j -> j.getMetadata().getName().equals(job)).findFirst());
        SpecialistChildren children = SpecialistChildren.desired(specialist, adapters, SETTINGS);

        Golden.assertMatches(Manifests.toYaml(children.all()), "slmspecialist/" + name + ".golden.yaml");
    }

    @Test
    void onAClusterServingKedaANimSignalRunsOnAScaledObjectAndNoHpa() throws IOException {
        SLMSpecialist specialist = load("requests-waiting-hpa");
        Optional<AutoscalingPlan> plan = AutoscalingPlan.of(specialist.getSpec().autoscaling,
                new AutoscalingPlan.Cluster(true, Optional.of("http://prometheus-operated.monitoring.svc:9090")));
        SpecialistChildren children = SpecialistChildren.desired(specialist,
                ResolvedAdapters.resolve(specialist, job -> Optional.empty()), SETTINGS, plan);

        assertThat(children.autoscaler()).isEmpty();
        Golden.assertMatches(Manifests.toYaml(children.all()), "slmspecialist/requests-waiting-keda.golden.yaml");
    }

    @Test
    void desiredStateIsAPureFunctionOfItsInputs() throws IOException {
        SLMSpecialist specialist = load("full");
        ResolvedAdapters adapters = ResolvedAdapters.resolve(specialist, job -> Optional.empty());
        assertThat(Manifests.toYaml(SpecialistChildren.desired(specialist, adapters, SETTINGS).all()))
                .isEqualTo(Manifests.toYaml(SpecialistChildren.desired(specialist, adapters, SETTINGS).all()));
    }

    @Test
    void anAdapterOfAFineTuneJobStillRunningIsPendingButItsClaimIsAlreadyMounted() throws IOException {
        SLMSpecialist specialist = load("full");
        specialist.getSpec().adapters.removeIf(adapter -> adapter.volume != null);
        FineTuneJob running = Manifests.ofKind(parse("full"), FineTuneJob.class).get(0);
        running.getStatus().phase = io.slmfleet.api.v1alpha1.FineTuneJobStatus.Phase.Running;

        ResolvedAdapters adapters = ResolvedAdapters.resolve(specialist, job -> Optional.of(running));

        assertThat(adapters.adapters()).singleElement()
                .satisfies(adapter -> assertThat(adapter.state).isEqualTo(AdapterStatus.State.Pending));
        Deployment deployment = NimDeployment.desired(specialist, adapters, SETTINGS);
        assertThat(deployment.getSpec().getTemplate().getSpec().getVolumes())
                .filteredOn(volume -> volume.getPersistentVolumeClaim() != null)
                .extracting(volume -> volume.getPersistentVolumeClaim().getClaimName())
                .contains("adapters");
    }

    @Test
    void anAdapterTrainedAboveTheNimsMaxRankFailsWithTheFixAndTheNimIsToldItsMaxRank() throws IOException {
        SLMSpecialist specialist = load("full");
        specialist.getSpec().adapters.removeIf(adapter -> adapter.volume != null);
        FineTuneJob rank64 = Manifests.ofKind(parse("full"), FineTuneJob.class).get(0);
        rank64.getSpec().hyperparameters.rank = 64;

        ResolvedAdapters adapters = ResolvedAdapters.resolve(specialist, job -> Optional.of(rank64));

        assertThat(adapters.adapters()).singleElement().satisfies(adapter -> {
            assertThat(adapter.state).isEqualTo(AdapterStatus.State.Failed);
            assertThat(adapter.message).contains("trains LoRA rank 64").contains("lora.maxRank 32")
                    .contains("NIM_MAX_LORA_RANK");
        });
        FineTuneJob rank16 = Manifests.ofKind(parse("full"), FineTuneJob.class).get(0);
        assertThat(NimDeployment.desired(specialist, ResolvedAdapters.resolve(specialist, job -> Optional.of(rank16)), SETTINGS)
                .getSpec().getTemplate().getSpec().getContainers().get(0).getEnv())
                .anySatisfy(env -> {
                    assertThat(env.getName()).isEqualTo("NIM_MAX_LORA_RANK");
                    assertThat(env.getValue()).isEqualTo("32");
                });
    }

    @Test
    void anAdapterAtTheNimsMaxRankIsServed() throws IOException {
        SLMSpecialist specialist = load("full");
        specialist.getSpec().adapters.removeIf(adapter -> adapter.volume != null);
        specialist.getSpec().lora.maxRank = 64;
        FineTuneJob rank64 = Manifests.ofKind(parse("full"), FineTuneJob.class).get(0);
        rank64.getSpec().hyperparameters.rank = 64;

        assertThat(ResolvedAdapters.resolve(specialist, job -> Optional.of(rank64)).adapters()).singleElement()
                .satisfies(adapter -> assertThat(adapter.state).isEqualTo(AdapterStatus.State.Mounted));
    }

    @Test
    void anAdapterOnAnotherClaimThanTheFirstFails() throws IOException {
        SLMSpecialist specialist = load("full");
        specialist.getSpec().adapters.get(1).volume.claimName = "other-adapters";
        FineTuneJob done = Manifests.ofKind(parse("full"), FineTuneJob.class).get(0);

        ResolvedAdapters adapters = ResolvedAdapters.resolve(specialist, job -> Optional.of(done));

        assertThat(adapters.claimName()).contains("adapters");
        assertThat(adapters.adapters().get(1).state).isEqualTo(AdapterStatus.State.Failed);
        assertThat(adapters.adapters().get(1).message).contains("claim other-adapters").contains("claim adapters");
    }

    @Test
    void anAdapterTrainedOnAnotherBaseModelFails() throws IOException {
        SLMSpecialist specialist = load("full");
        FineTuneJob other = Manifests.ofKind(parse("full"), FineTuneJob.class).get(0);
        other.getSpec().baseModel.name = "meta/llama-3.1-8b-instruct";

        ResolvedAdapters adapters = ResolvedAdapters.resolve(specialist, job -> Optional.of(other));

        assertThat(adapters.adapters().get(0).state).isEqualTo(AdapterStatus.State.Failed);
        assertThat(adapters.adapters().get(0).message).contains("trains on base model meta/llama-3.1-8b-instruct");
    }

    private static List<HasMetadata> parse(String name) throws IOException {
        return Manifests.parse(Files.readString(Path.of("src/test/resources/slmspecialist/" + name + ".yaml")));
    }

    private static SLMSpecialist load(String name) throws IOException {
        return Manifests.ofKind(parse(name), SLMSpecialist.class).get(0);
    }
}
