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
 * Candidate models ranked on a curated evaluation set: a run-to-completion batch/v1 Job of the operator's own image
 * (command {@code evaluate}, no GPU) that asks every candidate every example and scores the answers as the router's
 * shadow comparisons do; its status is the leaderboard and the cheapest candidate that clears the gate.
 */
@Group(SLMSpecialist.GROUP)
@Version(SLMSpecialist.VERSION)
@ShortNames("ej")
@Categories("slmfleet")
@AdditionalPrinterColumn(name = "Phase", jsonPath = ".status.phase", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Examples", jsonPath = ".status.examples", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Recommended", jsonPath = ".status.recommendation.candidate",
        type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Reason", jsonPath = ".status.recommendation.reason",
        type = AdditionalPrinterColumn.Type.STRING, priority = 1)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class EvaluationJob extends CustomResource<EvaluationJobSpec, EvaluationJobStatus> implements Namespaced {

    /** The spec is immutable, as a Job's template is: other candidates or another data set are a new evaluation. */
    @Override
    @ValidationRule(value = "self == oldSelf",
            message = "EvaluationJob spec is immutable once created: create a new EvaluationJob for other candidates or data")
    public EvaluationJobSpec getSpec() {
        return super.getSpec();
    }
}
