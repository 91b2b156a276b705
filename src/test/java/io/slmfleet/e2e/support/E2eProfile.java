package io.slmfleet.e2e.support;

import java.util.List;
import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * The Quarkus test profile of the e2e tier's in-process operator: build-time settings that a test resource cannot
 * change (hence a profile), and {@link E2eOperatorResource} to reach the real API server.
 * Use: {@code @QuarkusTest @TestProfile(E2eProfile.class)}.
 */
public class E2eProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                // the CRDs come from crds/ (what users install), installed by the harness, not from target/kubernetes
                "%test.quarkus.operator-sdk.crd.apply", "false",
                // other processes on the machine may hold the default test port
                "quarkus.http.test-port", "0");
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(E2eOperatorResource.class));
    }
}
