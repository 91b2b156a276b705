package io.slmfleet.api.v1alpha1;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.slmfleet.api.ListMapKeys;

@ValidationRule(value = "has(self.fallback) || self.routes.all(r, r.targets.exists(t, t.weight > 0))",
        message = "without a fallback every route needs a target with a weight above 0")
public class AgentRouteSpec {

    @Required
    @Size(min = 1, max = 128)
    @ListMapKeys("task")
    @JsonPropertyDescription("One route per task.")
    public List<RouteSpec> routes = new ArrayList<>();

    @JsonPropertyDescription("The large LLM for open-ended tasks and escalation.")
    public FallbackSpec fallback;

    @Default("{}")
    @JsonPropertyDescription("Sampled, PII-redacted request/response records for later fine-tuning.")
    public UsageCaptureSpec usageCapture = new UsageCaptureSpec();

    @Default("{}")
    @JsonPropertyDescription("The router workload.")
    public RouterSpec router = new RouterSpec();
}
