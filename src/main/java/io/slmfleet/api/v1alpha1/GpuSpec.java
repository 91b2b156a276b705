package io.slmfleet.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;

/** The NVIDIA GPUs (or MIG slices) a workload needs on one node. */
public class GpuSpec {

    public static final String DEFAULT_RESOURCE_NAME = "nvidia.com/gpu";

    @Min(1)
    @Max(16)
    @Default("1")
    @JsonPropertyDescription("Number of GPUs (or MIG slices) per pod, requested as an extended resource limit.")
    public Integer count = 1;

    @Default(DEFAULT_RESOURCE_NAME)
    @Pattern("^nvidia\\.com/(gpu|mig-[0-9]+g\\.[0-9]+gb(\\.[a-z0-9]+)*)$")
    @JsonPropertyDescription("Extended resource advertised by the NVIDIA device plugin: nvidia.com/gpu for whole GPUs, or a MIG "
            + "profile such as nvidia.com/mig-1g.10gb.")
    public String resourceName = DEFAULT_RESOURCE_NAME;

    @JsonPropertyDescription("GPU product, matched against the node label nvidia.com/gpu.product set by GPU feature discovery, "
            + "e.g. NVIDIA-H100-80GB-HBM3. Empty: any product.")
    @Pattern("^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$")
    public String product;

    @Default("nvidia")
    @Pattern(Names.DNS_1123_SUBDOMAIN)
    @JsonPropertyDescription("RuntimeClass that exposes the NVIDIA container runtime; set to an empty string where the default "
            + "runtime already does.")
    public String runtimeClassName = "nvidia";
}
