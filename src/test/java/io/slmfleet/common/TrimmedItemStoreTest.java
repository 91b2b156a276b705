package io.slmfleet.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.ManagedFieldsEntryBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.slmfleet.api.v1alpha1.SLMSpecialist;
import io.slmfleet.render.Manifests;
import io.slmfleet.slmspecialist.NimSettings;
import io.slmfleet.slmspecialist.ResolvedAdapters;
import io.slmfleet.slmspecialist.SpecialistChildren;

/** Tier 1: what the informer caches keep of an object, and that it is still enough for the reconcilers. */
class TrimmedItemStoreTest {

    @Test
    void aCachedChildHasNoManagedFieldsButStillSatisfiesItsDesiredState() throws Exception {
        SLMSpecialist specialist = Manifests.ofKind(Manifests.parse(
                Files.readString(Path.of("src/test/resources/slmspecialist/full.yaml"))), SLMSpecialist.class).get(0);
        Deployment desired = SpecialistChildren.desired(specialist, ResolvedAdapters.resolve(specialist, job -> Optional.empty()),
                new NimSettings(Duration.ofMinutes(60), "16Gi")).deployment();
        Deployment fromApiServer = Serialization.clone(desired);
        fromApiServer.getMetadata().setResourceVersion("17");
        fromApiServer.getMetadata().setManagedFields(List.of(
                new ManagedFieldsEntryBuilder().withManager(ChildApplier.FIELD_MANAGER).withOperation("Apply").build(),
                new ManagedFieldsEntryBuilder().withManager("kube-controller-manager").withOperation("Update")
                        .withSubresource("status").build()));
        fromApiServer.setStatus(new DeploymentStatusBuilder().withReadyReplicas(1).build());
        TrimmedItemStore<Deployment> store = new TrimmedItemStore<>();

        store.put(store.getKey(fromApiServer), fromApiServer);

        Deployment cached = store.get(Cache.metaNamespaceKeyFunc(desired));
        assertThat(cached.getMetadata().getManagedFields()).isNullOrEmpty();
        assertThat(cached.getMetadata().getResourceVersion()).isEqualTo("17");
        assertThat(cached.getStatus().getReadyReplicas()).isEqualTo(1);
        assertThat(DesiredState.isSatisfiedBy(desired, cached)).isTrue();
    }

    @Test
    void aCachedPodKeepsWhatTheDiagnosisReadsAndDropsItsSpec() {
        Pod pod = new PodBuilder()
                .withNewMetadata().withName("nim-0").withNamespace("agents").withLabels(Map.of("app", "nim"))
                    .addNewManagedField().withManager("kubelet").endManagedField()
                .endMetadata()
                .withNewSpec().addNewContainer().withName("nim").withImage("nvcr.io/nim/llama:1").endContainer().endSpec()
                .withNewStatus().addNewCondition().withType("PodScheduled").withStatus("False").withReason("Unschedulable")
                    .withMessage("0/3 nodes are available: 3 Insufficient nvidia.com/gpu.").endCondition()
                .endStatus()
                .build();
        TrimmedItemStore<Pod> store = new TrimmedItemStore<>();

        store.put(store.getKey(pod), pod);

        Pod cached = store.get("agents/nim-0");
        assertThat(cached.getSpec()).isNull();
        assertThat(cached.getMetadata().getManagedFields()).isNullOrEmpty();
        assertThat(cached.getMetadata().getLabels()).containsEntry("app", "nim");
        assertThat(PodDiagnosis.problems(List.of(cached))).singleElement()
                .satisfies(problem -> assertThat(problem.reason()).isEqualTo(PodDiagnosis.UNSCHEDULABLE));
    }
}
