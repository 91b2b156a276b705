package io.slmfleet.api.v1alpha1;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Toleration;
import io.slmfleet.api.ItemMaxLength;
import io.slmfleet.api.ListMapKeys;

@ValidationRule(value = "!has(self.cache) || self.cache.accessMode != 'ReadWriteOnce' || "
        + "(has(self.autoscaling) ? self.autoscaling.maxReplicas <= 1 : self.replicas <= 1)",
        message = "a ReadWriteOnce cache can be mounted by one node only: use cache.accessMode ReadWriteMany "
                + "when more than one replica may run")
// Pairwise over the declared (bounded) list: the API server can estimate its cost. A rule iterating over the result of
// filter() is estimated as unbounded and refused when the CRD is applied.
@ValidationRule(value = "!has(self.adapters) || self.adapters.all(a, !has(a.volume) || self.adapters.all(b, "
        + "!has(b.volume) || b.volume.claimName == a.volume.claimName))",
        message = "all volume adapters must live on the same claim: NIM serves LoRA adapters from a single directory")
@ValidationRule(value = "has(self.autoscaling) || self.replicas <= 1 || self.disruption.minAvailable < self.replicas",
        message = "disruption.minAvailable must be below replicas: otherwise no NIM pod can be evicted and node drains hang")
public class SLMSpecialistSpec {

    @Required
    @JsonPropertyDescription("The NIM container and the model it serves.")
    public ModelSpec model;

    @Size(max = 32)
    @ItemMaxLength(63)
    @ValidationRule(value = "self.all(c, c.matches('^[a-z0-9]([-a-z0-9]*[a-z0-9])?$'))",
            message = "taskCategories entries must be lowercase DNS-1123 labels, e.g. parsing or tool-calling")
    @JsonPropertyDescription("Agent task categories this specialist is meant for (e.g. parsing, extraction); informational, "
            + "shown to routes and dashboards.")
    public List<String> taskCategories = new ArrayList<>();

    @Min(0)
    @Default("1")
    @JsonPropertyDescription("Number of NIM pods. Ignored while autoscaling is set: the autoscaler (HPA or KEDA) owns it then.")
    public Integer replicas = 1;

    @JsonPropertyDescription("Scale between minReplicas and maxReplicas on a signal, with KEDA or an autoscaling/v2 "
            + "HorizontalPodAutoscaler, whichever the cluster serves (see docs/autoscaling.md).")
    public AutoscalingSpec autoscaling;

    @Required
    @JsonPropertyDescription("GPUs each pod needs.")
    public GpuSpec gpu;

    @JsonPropertyDescription("CPU and memory of the NIM container. GPU limits come from gpu and are added by the operator.")
    public ResourceRequirements resources;

    @JsonPropertyDescription("Model cache volume (NIM_CACHE_PATH). Without it the model is downloaded again into an emptyDir "
            + "at every pod start.")
    public CacheSpec cache;

    @Size(max = 64)
    @ListMapKeys("name")
    @JsonPropertyDescription("LoRA adapters this specialist serves, each under its name as the OpenAI model id.")
    public List<AdapterSpec> adapters = new ArrayList<>();

    @Default("{}")
    @JsonPropertyDescription("How NIM loads LoRA adapters.")
    public LoraSpec lora = new LoraSpec();

    @JsonPropertyDescription("Extra node selector, merged with the GPU product selector.")
    public Map<String, String> nodeSelector = new LinkedHashMap<>();

    @JsonPropertyDescription("Extra tolerations, added to the toleration of the nvidia.com/gpu taint.")
    public List<Toleration> tolerations = new ArrayList<>();

    @JsonPropertyDescription("Pod affinity and anti-affinity.")
    public Affinity affinity;

    @Size(max = 253)
    @Pattern(Names.DNS_1123_SUBDOMAIN)
    @JsonPropertyDescription("PriorityClass of the NIM pods.")
    public String priorityClassName;

    @Size(max = 64)
    @JsonPropertyDescription("Extra environment variables, applied after the operator's own (a NIM_* variable set here wins).")
    public List<EnvVar> env = new ArrayList<>();

    @Default("{}")
    @JsonPropertyDescription("PodDisruptionBudget, created when more than one replica may run.")
    public DisruptionSpec disruption = new DisruptionSpec();
}
