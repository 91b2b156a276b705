package io.slmfleet.api.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;
import io.slmfleet.api.ObjectName;

/** A task-specialised small language model served by an NVIDIA NIM container on GPUs, with its LoRA adapters. */
@Group(SLMSpecialist.GROUP)
@Version(SLMSpecialist.VERSION)
@ShortNames("slms")
@Categories("slmfleet")
// the name is also the Service's name
@ObjectName(pattern = Names.DNS_1035_LABEL, maxLength = 63)
@AdditionalPrinterColumn(name = "Phase", jsonPath = ".status.phase", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Ready", jsonPath = ".status.readyReplicas", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Replicas", jsonPath = ".status.replicas", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Model", jsonPath = ".spec.model.name", type = AdditionalPrinterColumn.Type.STRING, priority = 1)
@AdditionalPrinterColumn(name = "Endpoint", jsonPath = ".status.endpoint", type = AdditionalPrinterColumn.Type.STRING, priority = 1)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class SLMSpecialist extends CustomResource<SLMSpecialistSpec, SLMSpecialistStatus> implements Namespaced {

    public static final String GROUP = "slmfleet.io";
    public static final String VERSION = "v1alpha1";
}
