package io.slmfleet.e2e.support;

import java.util.HashMap;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Points the operator of a {@code @QuarkusTest} (it runs in the test's JVM, in operator mode) at the e2e tier's real API
 * server, after the harness has installed the CRDs from crds/ and started the fake kubelet.
 * Started by {@link E2eProfile}.
 */
public class E2eOperatorResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        E2eHarness harness = E2eHarness.get();
        return new HashMap<>(harness.cluster().operatorProperties());
    }

    @Override
    public void stop() {
        // the cluster and the harness live as long as the JVM: the next test class reuses them
    }
}
