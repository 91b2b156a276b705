package io.slmfleet.common;

import java.util.LinkedHashMap;
import java.util.Map;

import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.slmfleet.api.v1alpha1.GpuSpec;

/** How a pod lands on NVIDIA GPU nodes, the same for serving (NIM) and training pods. */
public final class GpuScheduling {

    /** Set by GPU feature discovery (NVIDIA GPU Operator) on every GPU node. */
    public static final String PRODUCT_LABEL = "nvidia.com/gpu.product";

    /** The taint GPU node pools commonly carry so that only GPU workloads land there. */
    public static final String TAINT = "nvidia.com/gpu";

    private GpuScheduling() {
    }

    /** The GPU product selector, when a product is asked for. */
    public static Map<String, String> nodeSelector(GpuSpec gpu) {
        Map<String, String> selector = new LinkedHashMap<>();
        if (gpu.product != null && !gpu.product.isEmpty()) {
            selector.put(PRODUCT_LABEL, gpu.product);
        }
        return selector;
    }

    public static Toleration toleration() {
        return new TolerationBuilder()
                .withKey(TAINT)
                .withOperator("Exists")
                .withEffect("NoSchedule")
                .build();
    }

    /** runtimeClassName, where an empty string means the node's default runtime already exposes the GPUs. */
    public static String runtimeClassName(GpuSpec gpu) {
        return gpu.runtimeClassName == null || gpu.runtimeClassName.isEmpty() ? null : gpu.runtimeClassName;
    }

    /** A memory-backed /dev/shm: GPU frameworks (NCCL, PyTorch data loaders, TensorRT-LLM) outgrow the 64 MiB default. */
    public static Volume sharedMemory(String size) {
        return new VolumeBuilder()
                .withName("dshm")
                .withNewEmptyDir()
                    .withMedium("Memory")
                    .withSizeLimit(new Quantity(size))
                .endEmptyDir()
                .build();
    }
}
