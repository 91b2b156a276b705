package io.slmfleet.api.v1alpha1;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

@ValidationRule(value = "self.targets.all(t, self.targets.filter(u, u.specialist == t.specialist && "
        + "(has(u.adapter) ? u.adapter : '') == (has(t.adapter) ? t.adapter : '')).size() == 1)",
        message = "a route lists each specialist/adapter pair once")
@ValidationRule(value = "!has(self.delegation) || !has(self.delegation.candidate) || !self.targets.exists(t, t.specialist == self.delegation.candidate.specialist && "
        + "(has(t.adapter) ? t.adapter : '') == (has(self.delegation.candidate.adapter) ? self.delegation.candidate.adapter : ''))",
        message = "delegation.candidate must not be one of the route's targets: they are the trusted answers it is compared with")
@ValidationRule(value = "!has(self.delegation) || !has(self.delegation.candidates) || !self.delegation.candidates.exists(c, "
        + "self.targets.exists(t, t.specialist == c.specialist && (has(t.adapter) ? t.adapter : '') == (has(c.adapter) ? c.adapter : '')))",
        message = "delegation.candidates must not be the route's targets: they are the trusted answers the candidates are compared with")
public class RouteSpec {

    /** A positive Go-style duration with one unit, as the router parses it (a zero timeout could never be met). */
    public static final String DURATION = "^([1-9][0-9]*(\\.[0-9]+)?|0\\.[0-9]*[1-9][0-9]*)(ms|s|m)$";

    @Required
    @Size(max = 63)
    @Pattern(Names.DNS_1123_LABEL)
    @JsonPropertyDescription("Task name, chosen by the x-agent-task header or the model alias task/<task>.")
    public String task;

    @Required
    @Size(max = 16)
    @JsonPropertyDescription("Specialists (or their adapters) that serve the task, picked at random by weight: the trusted set. "
            + "Empty: the fallback LLM serves the task (the AgentRoute needs a fallback), its traffic captured like any other: "
            + "the loop's first step, before any SLM exists; with a delegation, until the candidate takes over.")
    public List<TargetSpec> targets = new ArrayList<>();

    @JsonPropertyDescription("JSON Schema the answer's content (or tool-call arguments) must satisfy; invalid output goes to the "
            + "fallback when it covers invalidOutput.")
    public ResponseSchemaSpec responseSchema;

    @Default("30s")
    @Pattern(DURATION)
    @JsonPropertyDescription("Time a target has to answer (to the first byte when streaming), e.g. 15s or 500ms.")
    public String timeout = "30s";

    @Min(0)
    @Max(5)
    @Default("0")
    @JsonPropertyDescription("Retries on another pick before anything reached the caller.")
    public Integer retries = 0;

    @JsonPropertyDescription("Move a share of the task's traffic to a candidate, step by step, on measured agreement.")
    public DelegationSpec delegation;
}
