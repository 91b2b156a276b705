package io.slmfleet.evaluationjob;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * The EvaluationJob operator tests play the CurationJob, SLMSpecialist and AgentRoute controllers themselves (they
 * write the curation's and the specialists' status, and a route is only read for its fallback), so the real ones are
 * confined to a namespace no test uses; a GPU price makes a specialist candidate's cost known.
 */
public class EvaluationJobTestProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "quarkus.operator-sdk.controllers.slmspecialist.namespaces", "no-specialist-controller-in-evaluation-tests",
                "quarkus.operator-sdk.controllers.agentroute.namespaces", "no-route-controller-in-evaluation-tests",
                "quarkus.operator-sdk.controllers.curationjob.namespaces", "no-curation-controller-in-evaluation-tests",
                "slmfleet.economics.gpu-price-per-hour.NVIDIA-L4", "0.8",
                "quarkus.http.test-port", "0");
    }
}
