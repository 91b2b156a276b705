package io.slmfleet.common;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.slmfleet.api.v1alpha1.SLMSpecialist;
import io.slmfleet.api.v1alpha1.SLMSpecialistSpec;
import io.slmfleet.api.v1alpha1.SLMSpecialistStatus;

/** Tier 1: what a status write sends (the write itself and its cache: the operator tests). */
class StatusUpdatesTest {

    @Test
    void theStatusApplyCarriesIdentityAndStatusButNoSpec() {
        SLMSpecialist cached = new SLMSpecialist();
        cached.setMetadata(new ObjectMetaBuilder().withName("tool-caller").withNamespace("agents").withUid("0a1b")
                .withResourceVersion("41").withGeneration(3L).addToLabels("team", "a").build());
        cached.setSpec(new SLMSpecialistSpec());
        SLMSpecialistStatus next = new SLMSpecialistStatus();
        next.observedGeneration = 3L;

        SLMSpecialist applied = StatusUpdates.statusOnly(cached, next);

        assertThat(applied.getMetadata().getResourceVersion())
                .as("PrimaryUpdateAndCacheUtils sets the resourceVersion the status was derived from").isNull();
        assertThat(applied.getMetadata().getName()).isEqualTo("tool-caller");
        assertThat(applied.getMetadata().getNamespace()).isEqualTo("agents");
        assertThat(applied.getMetadata().getUid()).isEqualTo("0a1b");
        assertThat(applied.getMetadata().getLabels()).isNullOrEmpty();
        assertThat(applied.getSpec()).isNull();
        assertThat(applied.getStatus()).isSameAs(next);
        assertThat(applied.getApiVersion()).isEqualTo(cached.getApiVersion());
        assertThat(applied.getKind()).isEqualTo("SLMSpecialist");
    }

    @Test
    void anUnchangedStatusIsNotWritten() {
        SLMSpecialist cached = new SLMSpecialist();
        cached.setMetadata(new ObjectMetaBuilder().withName("tool-caller").withNamespace("agents").build());
        SLMSpecialistStatus status = new SLMSpecialistStatus();
        status.observedGeneration = 3L;
        cached.setStatus(status);
        SLMSpecialistStatus same = new SLMSpecialistStatus();
        same.observedGeneration = 3L;

        assertThat(StatusUpdates.patchIfChanged(cached, same, null, (previous, next) -> {
            throw new AssertionError("no transition to record");
        }).isNoUpdate()).isTrue();
    }
}
