package io.slmfleet.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** The NVIDIA GPUs (or MIG slices) a workload needs on one node. */
@ValidationRule(value = "self.count == 1 || !self.resourceName.startsWith('nvidia.com/mig-')",
        message = "gpu.count must be 1 with a MIG resource: a CUDA process uses a single MIG device; choose a larger MIG "
                + "profile or whole GPUs")
public class GpuSpec {

    public static final String DEFAULT_RESOURCE_NAME = "nvidia.com/gpu";

    @Min(1)
    @Max(16)
    @Default("1")
    @JsonPropertyDescription("Number of GPUs (or MIG slices) per pod, requested as an extended resource limit.")
    public Integer count = 1;

    @Default(DEFAULT_RESOURCE_NAME)
    @Size(max = 74) // a qualified name: "nvidia.com/" and a name of at most 63 characters
    @Pattern("^nvidia\\.com/(gpu|mig-[0-9]+g\\.[0-9]+gb(\\.[a-z0-9]+)*)$")
    @JsonPropertyDescription("Extended resource advertised by the NVIDIA device plugin: nvidia.com/gpu for whole GPUs, or a MIG "
            + "profile such as nvidia.com/mig-1g.10gb.")
    public String resourceName = DEFAULT_RESOURCE_NAME;

    @JsonPropertyDescription("GPU product, matched against the node label nvidia.com/gpu.product set by GPU feature discovery, "
            + "e.g. NVIDIA-H100-80GB-HBM3. Empty: any product.")
    @Size(max = 63)
    @Pattern("^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$")
    public String product;

    @Default("nvidia")
    @Size(max = 253)
    @Pattern("^$|" + Names.DNS_1123_SUBDOMAIN)
    @JsonPropertyDescription("RuntimeClass that exposes the NVIDIA container runtime; set to an empty string where the default "
            + "runtime already does.")
    public String runtimeClassName = "nvidia";
}
