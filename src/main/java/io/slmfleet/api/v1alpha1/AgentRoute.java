package io.slmfleet.api.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** Routing policy for agent traffic: task to specialist or adapter, weights and LLM fallback, served by a router. */
@Group(SLMSpecialist.GROUP)
@Version(SLMSpecialist.VERSION)
@ShortNames("ar")
@Categories("slmfleet")
@AdditionalPrinterColumn(name = "Phase", jsonPath = ".status.phase", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Router ready", jsonPath = ".status.routerReadyReplicas", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Delegations", jsonPath = ".status.delegationSummary", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "SLM Share", jsonPath = ".status.economics.slmShare", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Savings", jsonPath = ".status.economics.savingsRatio", type = AdditionalPrinterColumn.Type.NUMBER)
@AdditionalPrinterColumn(name = "Endpoint", jsonPath = ".status.endpoint", type = AdditionalPrinterColumn.Type.STRING, priority = 1)
@AdditionalPrinterColumn(name = "Config", jsonPath = ".status.configHash", type = AdditionalPrinterColumn.Type.STRING, priority = 1)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class AgentRoute extends CustomResource<AgentRouteSpec, AgentRouteStatus> implements Namespaced {
}
