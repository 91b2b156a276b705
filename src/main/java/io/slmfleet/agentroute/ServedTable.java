package io.slmfleet.agentroute;

import java.util.List;
import java.util.Objects;

import io.slmfleet.common.DesiredState;
import io.slmfleet.routing.RoutingTable;
import io.slmfleet.routing.RoutingTableCodec;

/**
 * The routing table the router is given: the one just rendered, or the last good one kept while an input is broken.
 *
 * @param table the table
 * @param json its JSON form, the ConfigMap's content
 * @param lastGood true when it is the kept last good table rather than one rendered from the current input
 */
public record ServedTable(RoutingTable table, String json, boolean lastGood) {

    public static ServedTable rendered(RoutingTable table) {
        return new ServedTable(table, RoutingTableCodec.toJson(table), false);
    }

    /** sha256 of the JSON form, as in status.configHash and on the router pod template. */
    public String hash() {
        return DesiredState.sha256(json);
    }

    /** The weight the table gives a target; 0 when it does not list it. */
    public int weight(ResolvedTarget target) {
        return table.routes().stream()
                .filter(route -> route.task().equals(target.task()))
                .flatMap(route -> route.targets().stream())
                .filter(t -> t.specialist().equals(target.specialist()) && Objects.equals(t.adapter(), target.adapter()))
                .mapToInt(RoutingTable.Target::weight)
                .findFirst()
                .orElse(0);
    }

    /** The tasks of routes without any target: their requests go to the fallback, or fail when it does not cover errors. */
    public List<String> tasksWithoutTarget() {
        return table.routes().stream().filter(route -> route.targets().isEmpty()).map(RoutingTable.Route::task).toList();
    }

    /** Whether the router sends the requests of a route without a target to the fallback (it counts as an error). */
    public boolean fallsBack() {
        return table.fallback() != null && table.fallback().covers(RoutingTable.FallbackReason.error);
    }
}
