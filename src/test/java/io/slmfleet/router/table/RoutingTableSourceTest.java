package io.slmfleet.router.table;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.slmfleet.routing.RoutingTable;
import io.slmfleet.routing.RoutingTable.Fallback;
import io.slmfleet.routing.RoutingTable.FallbackReason;
import io.slmfleet.routing.RoutingTable.Route;
import io.slmfleet.routing.RoutingTable.Target;
import io.slmfleet.routing.RoutingTableCodec;

class RoutingTableSourceTest {

    @Test
    void servesNothingUntilAValidTableExistsAndReadsEachContentOnce(@TempDir Path directory) throws Exception {
        Path file = directory.resolve("routing-table.json");
        List<Boolean> reloads = new ArrayList<>();
        RoutingTableSource source = new RoutingTableSource(file, name -> null, reloads::add);

        source.reloadIfChanged();
        assertThat(source.current()).isNull();
        assertThat(source.problem()).contains("does not exist");

        Files.writeString(file, "{}");
        source.reloadIfChanged();
        assertThat(source.current()).isNull();
        assertThat(source.problem()).contains("rejected, nothing to serve");

        RoutingTable table = new RoutingTable(RoutingTable.API_VERSION, "ns/route",
                List.of(new Route("parsing", List.of(new Target("s", "a", "http://s.ns.svc:8000/v1", "a", 3)), 1000, 1, null)),
                new Fallback("https://llm.example.com/v1", "big", "KEY_VAR", List.of(FallbackReason.error)), null);
        Files.writeString(file, RoutingTableCodec.toJson(table));
        source.reloadIfChanged();
        source.reloadIfChanged();

        assertThat(source.problem()).isNull();
        assertThat(reloads).containsExactly(false, true);
        ActiveTable active = source.current();
        assertThat(active.route("parsing").targets()).singleElement()
                .satisfies(target -> assertThat(target.upstream()).isEqualTo(new Upstream(false, "s.ns.svc", 8000, "/v1")));
        assertThat(active.fallback().upstream()).isEqualTo(new Upstream(true, "llm.example.com", 443, "/v1"));
        assertThat(active.fallback().authorization()).as("key variable unset").isNull();
        assertThat(active.warnings()).singleElement().asString().contains("KEY_VAR");
    }

    @Test
    void addsTheFallbackKeyFromItsVariable(@TempDir Path directory) throws Exception {
        Path file = directory.resolve("routing-table.json");
        Files.writeString(file, RoutingTableCodec.toJson(new RoutingTable(RoutingTable.API_VERSION, "ns/route", List.of(),
                new Fallback("http://llm:8000/v1", "big", "KEY_VAR", List.of()), null)));
        RoutingTableSource source = new RoutingTableSource(file, name -> name.equals("KEY_VAR") ? " secret\n" : null,
                loaded -> { });

        source.reloadIfChanged();

        assertThat(source.current().fallback().authorization()).isEqualTo("Bearer secret");
        assertThat(source.current().fallback().toString()).doesNotContain("secret");
    }
}
