package io.slmfleet.agentroute;

import java.util.Optional;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.slmfleet.api.v1alpha1.AgentRoute;
import io.slmfleet.common.DesiredState;
import io.slmfleet.common.Labels;
import io.slmfleet.common.OwnerReferences;
import io.slmfleet.routing.RoutingTable;
import io.slmfleet.routing.RoutingTableCodec;

/** The ConfigMap holding the rendered routing table, mounted by the router pods as a directory. */
public final class RoutingConfigMap {

    private RoutingConfigMap() {
    }

    /** @param complete whether the table was rendered from input without a problem */
    public static ConfigMap desired(AgentRoute route, ServedTable table, boolean complete) {
        return DesiredState.stamped(new ConfigMapBuilder()
                .withNewMetadata()
                    .withName(Router.configMapName(route))
                    .withNamespace(route.getMetadata().getNamespace())
                    .withLabels(Labels.of(route, Router.APP, "routing-table"))
                    .addToAnnotations(Router.CONFIG_HASH_ANNOTATION, table.hash())
                    .addToAnnotations(Router.INPUT_ANNOTATION, complete ? Router.COMPLETE : Router.PARTIAL)
                    .withOwnerReferences(OwnerReferences.controlledBy(route))
                .endMetadata()
                .addToData(RoutingTableCodec.FILE_NAME, table.json())
                .build());
    }

    /** The table a ConfigMap holds, when it holds one the operator rendered from complete input. */
    public static Optional<ServedTable> lastGood(ConfigMap configMap) {
        if (configMap == null || configMap.getMetadata().getAnnotations() == null
                || !Router.COMPLETE.equals(configMap.getMetadata().getAnnotations().get(Router.INPUT_ANNOTATION))
                || configMap.getData() == null || configMap.getData().get(RoutingTableCodec.FILE_NAME) == null) {
            return Optional.empty();
        }
        String json = configMap.getData().get(RoutingTableCodec.FILE_NAME);
        try {
            RoutingTable table = RoutingTableCodec.fromJson(json);
            return Optional.of(new ServedTable(table, json, true));
        } catch (RuntimeException e) {
            return Optional.empty(); // edited by hand into something else: not a table to keep
        }
    }
}
