package io.slmfleet.agentroute;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;
import io.slmfleet.evaluationjob.EvaluationJobReconciler;

/**
 * The AgentRoute operator tests play the SLMSpecialist and EvaluationJob controllers themselves (they write those
 * resources' status), so the real ones are confined to a namespace no test uses. Response-schema ConfigMaps are not watched: a short maximum
 * reconciliation interval lets the tests see an edited schema picked up, a short analysis interval a delegation step.
 */
public class AgentRouteTestProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "quarkus.operator-sdk.controllers.slmspecialist.namespaces", "no-specialist-controller-in-agentroute-tests",
                "quarkus.operator-sdk.controllers." + EvaluationJobReconciler.NAME + ".namespaces",
                "no-evaluation-controller-in-agentroute-tests",
                "quarkus.operator-sdk.controllers." + AgentRouteReconciler.NAME + ".max-reconciliation-interval", "3s",
                // delegations look at their figures every second, so a test steps through them quickly
                "slmfleet.delegation.analysis-interval", "1s",
                // a price for the economics tests' specialist
                "slmfleet.economics.gpu-price-per-hour.NVIDIA-L4", "0.8",
                // a cheaper GPU for the tournament tests' cheaper specialist
                "slmfleet.economics.gpu-price-per-hour.NVIDIA-T4", "0.3",
                // a free port: other test runs on the same machine may hold the default 8081
                "quarkus.http.test-port", "0");
    }
}
