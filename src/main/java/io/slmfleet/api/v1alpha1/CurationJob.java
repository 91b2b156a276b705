package io.slmfleet.api.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * Captured agent usage turned into training, validation and evaluation sets: a run-to-completion batch/v1 Job of the
 * operator's own image (command {@code curate}), the same code as the offline command.
 */
@Group(SLMSpecialist.GROUP)
@Version(SLMSpecialist.VERSION)
@ShortNames("cj")
@Categories("slmfleet")
@AdditionalPrinterColumn(name = "Phase", jsonPath = ".status.phase", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Read", jsonPath = ".status.records.read", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Kept", jsonPath = ".status.records.kept", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Labels", jsonPath = ".spec.labels", type = AdditionalPrinterColumn.Type.STRING, priority = 1)
@AdditionalPrinterColumn(name = "Output", jsonPath = ".status.files.train", type = AdditionalPrinterColumn.Type.STRING, priority = 1)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class CurationJob extends CustomResource<CurationJobSpec, CurationJobStatus> implements Namespaced {

    /** The spec is immutable, as a Job's template is: a changed selection is a new data set with a new name. */
    @Override
    @ValidationRule(value = "self == oldSelf",
            message = "CurationJob spec is immutable once created: create a new CurationJob for a new data set")
    public CurationJobSpec getSpec() {
        return super.getSpec();
    }
}
