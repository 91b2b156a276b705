package io.slmfleet.slmspecialist;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
import io.slmfleet.api.v1alpha1.AutoscalingStatus;
import io.slmfleet.api.v1alpha1.SLMSpecialist;
import io.slmfleet.api.v1alpha1.SLMSpecialistStatus;
import io.slmfleet.api.v1alpha1.SLMSpecialistStatus.Phase;
import io.slmfleet.common.Conditions;

/** Tier 1: why a specialist is (not) ready, told from what was observed. */
class SpecialistStatusLogicTest {

    static final Clock T0 = Clock.fixed(Instant.parse("2026-11-26T10:00:00Z"), ZoneOffset.UTC);
    static final Clock T1 = Clock.fixed(Instant.parse("2026-11-26T10:05:00Z"), ZoneOffset.UTC);

    @Test
    void unschedulablePodsSayWhichGpuIsMissing() {
        Pod pending = new PodBuilder()
                .withNewMetadata().withName("tool-caller-abc").endMetadata()
                .withNewStatus()
                    .addNewCondition()
                        .withType("PodScheduled").withStatus("False").withReason("Unschedulable")
                        .withMessage("0/4 nodes are available: 4 Insufficient nvidia.com/gpu.")
                    .endCondition()
                .endStatus()
                .build();

        SLMSpecialistStatus status = derive(deployment(2, 0), List.of(pending), List.of(), T0);

        assertThat(status.phase).isEqualTo(Phase.Pending);
        Condition ready = condition(status, SpecialistStatusLogic.READY);
        assertThat(ready.getReason()).isEqualTo("Unschedulable");
        assertThat(ready.getMessage())
                .isEqualTo("pod tool-caller-abc cannot be scheduled: 0/4 nodes are available: 4 Insufficient nvidia.com/gpu.");
    }

    @Test
    void anImagePullFailureFailsAStartAndDegradesAServingSpecialist() {
        Pod pulling = new PodBuilder()
                .withNewMetadata().withName("tool-caller-def").endMetadata()
                .withNewStatus()
                    .addNewContainerStatus()
                        .withName("nim")
                        .withNewState().withNewWaiting().withReason("ImagePullBackOff")
                            .withMessage("Back-off pulling image \"nvcr.io/nim/x:bad\"").endWaiting().endState()
                    .endContainerStatus()
                .endStatus()
                .build();

        assertThat(derive(deployment(2, 0), List.of(pulling), List.of(), T0).phase).isEqualTo(Phase.Failed);
        SLMSpecialistStatus serving = derive(deployment(2, 1), List.of(pulling), List.of(), T0);
        assertThat(serving.phase).isEqualTo(Phase.Degraded);
        assertThat(condition(serving, SpecialistStatusLogic.DEGRADED).getReason()).isEqualTo("ImagePullFailed");
        assertThat(condition(serving, SpecialistStatusLogic.DEGRADED).getStatus()).isEqualTo(Conditions.TRUE);
    }

    @Test
    void podsTheApiServerRefusesToCreateAreToldWithItsMessage() {
        String runtimeClass = "pods \"tool-caller-7d9f-\" is forbidden: pod rejected: RuntimeClass \"nvidia\" not found";
        SLMSpecialistStatus refused = derive(replicaFailure(deployment(1, 0), runtimeClass), List.of(), List.of(), T0);

        assertThat(refused.phase).isEqualTo(Phase.Failed);
        Condition ready = condition(refused, SpecialistStatusLogic.READY);
        assertThat(ready.getReason()).isEqualTo("RuntimeClassNotFound");
        assertThat(ready.getMessage()).isEqualTo("the NIM Deployment cannot create pods: " + runtimeClass);
        assertThat(condition(refused, SpecialistStatusLogic.PROGRESSING).getStatus()).isEqualTo(Conditions.FALSE);

        String quota = "pods \"tool-caller-7d9f-x\" is forbidden: exceeded quota: gpus, requested: requests.nvidia.com/gpu=1, "
                + "used: requests.nvidia.com/gpu=8, limited: requests.nvidia.com/gpu=8";
        SLMSpecialistStatus waiting = derive(replicaFailure(deployment(1, 0), quota), List.of(), List.of(), T0);
        assertThat(waiting.phase).as("quota frees up by itself").isEqualTo(Phase.Pending);
        assertThat(condition(waiting, SpecialistStatusLogic.READY).getReason()).isEqualTo("QuotaExceeded");

        String webhook = "admission webhook \"validate.kyverno.svc\" denied the request: images must come from our registry";
        SLMSpecialistStatus scaling = derive(replicaFailure(deployment(2, 1), webhook), List.of(), List.of(), T0);
        assertThat(scaling.phase).as("one pod still serves").isEqualTo(Phase.Degraded);
        assertThat(condition(scaling, SpecialistStatusLogic.DEGRADED).getReason()).isEqualTo("AdmissionDenied");
    }

    @Test
    void aMissingSecretComesFirst() {
        SLMSpecialistStatus status = derive(deployment(1, 0), List.of(), List.of("Secret ngc-api (NGC API key) not found"), T0);

        assertThat(status.phase).isEqualTo(Phase.Pending);
        assertThat(condition(status, SpecialistStatusLogic.READY).getReason()).isEqualTo("SecretNotFound");
    }

    @Test
    void aConditionKeepsItsTransitionTimeWhileItsStatusHolds() {
        SLMSpecialist specialist = specialist();
        specialist.setStatus(derive(specialist, deployment(1, 1), List.of(), List.of(), T0));

        SLMSpecialistStatus later = derive(specialist, deployment(1, 1), List.of(), List.of(), T1);
        assertThat(condition(later, SpecialistStatusLogic.READY).getLastTransitionTime()).isEqualTo("2026-11-26T10:00:00Z");

        specialist.setStatus(later);
        SLMSpecialistStatus lost = derive(specialist, deployment(1, 0), List.of(), List.of(), T1);
        assertThat(condition(lost, SpecialistStatusLogic.READY).getLastTransitionTime()).isEqualTo("2026-11-26T10:05:00Z");
        assertThat(condition(lost, SpecialistStatusLogic.READY).getObservedGeneration()).isEqualTo(3L);
        assertThat(lost.observedGeneration).isEqualTo(3L);
    }

    @Test
    void onKedaTheEngineSignalAndTargetAreInStatus() {
        SLMSpecialist specialist = SLMSpecialistReconcilerTest.specialist("requests-waiting-hpa", "agents");
        specialist.getMetadata().setGeneration(2L);
        Optional<AutoscalingPlan> onKeda = AutoscalingPlan.of(specialist.getSpec().autoscaling,
                new AutoscalingPlan.Cluster(true, Optional.of("http://prometheus.monitoring.svc:9090")));

        SLMSpecialistStatus serving = derive(specialist, deployment(1, 1), onKeda, T0);
        assertThat(condition(serving, SpecialistStatusLogic.AUTOSCALER_READY).getMessage())
                .isEqualTo("scaled by a KEDA ScaledObject on requestsWaiting, target 4 per pod");
        assertThat(serving.autoscaling.engine).isEqualTo(AutoscalingStatus.Engine.Keda);
        assertThat(serving.autoscaling.target).as("the signal's default").isEqualTo(4);

        specialist.setStatus(serving);
        SLMSpecialistStatus later = derive(specialist, deployment(2, 2), onKeda, T1);
        Condition autoscaler = condition(later, SpecialistStatusLogic.AUTOSCALER_READY);
        assertThat(autoscaler.getLastTransitionTime()).as("kept from the first look").isEqualTo("2026-11-26T10:00:00Z");
        assertThat(autoscaler.getObservedGeneration()).isEqualTo(2L);
    }

    @Test
    void aRefusedConfigurationSaysWhyAndHasNoEngine() {
        SLMSpecialist specialist = SLMSpecialistReconcilerTest.specialist("requests-waiting-hpa", "agents");
        Optional<AutoscalingPlan> blocked = AutoscalingPlan.of(specialist.getSpec().autoscaling,
                AutoscalingPlan.Cluster.WITHOUT_KEDA).map(plan -> plan.conflictingWith("HorizontalPodAutoscaler agents/hand-made"));

        SLMSpecialistStatus status = derive(specialist, deployment(1, 1), blocked, T0);

        Condition autoscaler = condition(status, SpecialistStatusLogic.AUTOSCALER_READY);
        assertThat(autoscaler.getStatus()).isEqualTo(Conditions.FALSE);
        assertThat(autoscaler.getReason()).isEqualTo("AutoscalerConflict");
        assertThat(autoscaler.getMessage()).contains("HorizontalPodAutoscaler agents/hand-made", "delete it");
        assertThat(status.autoscaling.engine).isEqualTo(AutoscalingStatus.Engine.None);
    }

    @Test
    void withoutAutoscalingThereAreNoAutoscalingConditions() {
        SLMSpecialistStatus status = derive(deployment(2, 2), List.of(), List.of(), T0);

        assertThat(status.autoscaling).isNull();
        assertThat(Conditions.find(status.conditions, SpecialistStatusLogic.AUTOSCALER_READY)).isEmpty();
    }

    private static SLMSpecialistStatus derive(SLMSpecialist specialist, Deployment deployment,
            Optional<AutoscalingPlan> autoscaling, Clock clock) {
        ResolvedAdapters adapters = ResolvedAdapters.resolve(specialist, name -> Optional.empty());
        return SpecialistStatusLogic.derive(specialist, new Observed(Optional.of(deployment), List.of(), List.of(), adapters,
                autoscaling), clock);
    }

    private static SLMSpecialistStatus derive(Deployment deployment, List<Pod> pods, List<String> missing, Clock clock) {
        return derive(specialist(), deployment, pods, missing, clock);
    }

    private static SLMSpecialistStatus derive(SLMSpecialist specialist, Deployment deployment, List<Pod> pods,
            List<String> missing, Clock clock) {
        ResolvedAdapters adapters = ResolvedAdapters.resolve(specialist, name -> Optional.empty());
        return SpecialistStatusLogic.derive(specialist, new Observed(Optional.of(deployment), pods, missing, adapters,
                Optional.empty()), clock);
    }

    private static SLMSpecialist specialist() {
        SLMSpecialist specialist = SLMSpecialistReconcilerTest.specialist("no-cache", "agents");
        specialist.getMetadata().setGeneration(3L);
        return specialist;
    }

    private static Deployment deployment(int wanted, int ready) {
        return new DeploymentBuilder()
                .withNewSpec().withReplicas(wanted).endSpec()
                .withNewStatus().withReplicas(wanted).withReadyReplicas(ready).withUpdatedReplicas(wanted).endStatus()
                .build();
    }

    /** What a Deployment says when its ReplicaSet's pod creation fails. */
    private static Deployment replicaFailure(Deployment deployment, String message) {
        deployment.getStatus().getConditions().add(new DeploymentConditionBuilder()
                .withType("ReplicaFailure").withStatus("True").withReason("FailedCreate").withMessage(message)
                .build());
        return deployment;
    }

    private static Condition condition(SLMSpecialistStatus status, String type) {
        return Conditions.find(status.conditions, type).orElseThrow();
    }
}
