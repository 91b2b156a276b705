package io.slmfleet.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.slmfleet.testing.ServerSideApplyKubernetesServerTestResource;

/** The probes the Helm chart points kubelet at report the operator's informers. */
@QuarkusTest
@WithTestResource(ServerSideApplyKubernetesServerTestResource.class)
class OperatorHealthTest {

    @TestHTTPResource("/q/health/")
    URL health;

    @Test
    void readinessAndLivenessReportTheStartedOperator() throws Exception {
        for (String probe : new String[] { "ready", "live" }) {
            HttpResponse<String> response = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(health.toURI().resolve(probe)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(probe).isEqualTo(200);
            assertThat(response.body()).contains("\"slm-fleet operator\"").contains("\"started\": true");
        }
    }
}
