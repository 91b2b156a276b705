package io.slmfleet.api.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** A LoRA/QLoRA fine-tune run as a GPU batch/v1 Job, publishing an adapter that an SLMSpecialist can serve. */
@Group(SLMSpecialist.GROUP)
@Version(SLMSpecialist.VERSION)
@ShortNames("ftj")
@Categories("slmfleet")
@AdditionalPrinterColumn(name = "Phase", jsonPath = ".status.phase", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Adapter", jsonPath = ".spec.output.adapterName", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Method", jsonPath = ".spec.method", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Base model", jsonPath = ".spec.baseModel.name", type = AdditionalPrinterColumn.Type.STRING, priority = 1)
@AdditionalPrinterColumn(name = "Attempts", jsonPath = ".status.attempts", type = AdditionalPrinterColumn.Type.INTEGER, priority = 1)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class FineTuneJob extends CustomResource<FineTuneJobSpec, FineTuneJobStatus> implements Namespaced {

    /** The spec is immutable, as a Job's template is: a changed recipe is a new run with a new name. */
    @Override
    @ValidationRule(value = "self == oldSelf",
            message = "FineTuneJob spec is immutable once created: create a new FineTuneJob for a new run")
    public FineTuneJobSpec getSpec() {
        return super.getSpec();
    }
}
