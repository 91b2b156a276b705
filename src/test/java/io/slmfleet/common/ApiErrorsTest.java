package io.slmfleet.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;

/** Tier 1: a failed reconcile as the one sentence its condition shows. */
class ApiErrorsTest {

    @Test
    void anApiServerRefusalNamesTheObjectAndQuotesTheServer() {
        // what fabric8 throws when server-side apply sends a field the server does not know (Kubernetes 1.26)
        KubernetesClientException refused = new KubernetesClientException("Failure executing: PATCH at: "
                + "https://10.0.0.1/apis/batch/v1/namespaces/agents/jobs/ft-triage-v2-1?fieldManager=slm-fleet&force=true. "
                + "Message: failed to create typed patch object", 500, new StatusBuilder()
                        .withCode(500)
                        .withMessage("failed to create typed patch object (agents/ft-triage-v2-1; batch/v1, Kind=Job): "
                                + ".spec.podReplacementPolicy: field not declared in schema")
                        .build());

        assertThat(ApiErrors.describe(new IllegalStateException("reconcile failed", refused))).isEqualTo(
                "the API server refused a request: failed to create typed patch object (agents/ft-triage-v2-1; batch/v1, "
                        + "Kind=Job): .spec.podReplacementPolicy: field not declared in schema");
    }

    @Test
    void theStatusReasonIsAddedWhenTheMessageDoesNotSayIt() {
        KubernetesClientException forbidden = new KubernetesClientException("Failure executing: PATCH", 403, new StatusBuilder()
                .withCode(403)
                .withReason("Forbidden")
                .withMessage("jobs.batch \"ft-1\" is forbidden: User \"system:serviceaccount:slm-fleet:slm-fleet\" cannot "
                        + "patch resource \"jobs\" in API group \"batch\" in the namespace \"agents\"")
                .build());

        assertThat(ApiErrors.describe(forbidden)).endsWith("in the namespace \"agents\" (Forbidden)");
    }

    @Test
    void anUnreachableServerIsSaidSo() {
        KubernetesClientException unreachable = new KubernetesClientException("An error has occurred.",
                new ConnectException("Connection refused"));

        assertThat(ApiErrors.describe(unreachable)).isEqualTo("the API server could not be reached: Connection refused");
    }

    @Test
    void anythingElseGivesTheFirstLineOfItsRootCause() {
        assertThat(ApiErrors.describe(new RuntimeException("outer", new IllegalArgumentException("bad weight\n\tat x.y"))))
                .isEqualTo("bad weight");
        assertThat(ApiErrors.describe(new NullPointerException())).isEqualTo("unexpected NullPointerException");
    }
}
