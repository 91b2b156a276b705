package io.slmfleet.router;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;
import io.slmfleet.routing.RoutingTable;
import io.slmfleet.routing.RoutingTableCodec;

/**
 * The application in router mode, as the router Deployment starts it, on files in a temporary directory: a routing
 * table with no routes (tests install their own), a tokens file, small limits so the limits can be tested.
 */
public class RouterTestProfile implements QuarkusTestProfile {

    static final String TOKEN = "test-token-1";
    static final String OTHER_TOKEN = "test-token-2";
    static final int SHADOW_CONCURRENCY = 4;

    @Override
    public Map<String, String> getConfigOverrides() {
        try {
            Path directory = Files.createTempDirectory("slmfleet-router-test");
            Path table = directory.resolve("routing-table.json");
            Files.writeString(table, RoutingTableCodec.toJson(new RoutingTable(RoutingTable.API_VERSION, "test/empty",
                    List.of(), null, null)));
            Path tokens = directory.resolve("tokens");
            Files.writeString(tokens, TOKEN + "\n\n  " + OTHER_TOKEN + "  \n");
            return Map.ofEntries(
                    Map.entry("slmfleet.mode", "router"),
                    Map.entry("slmfleet.router.table-file", table.toString()),
                    Map.entry("slmfleet.router.auth-tokens-file", tokens.toString()),
                    Map.entry("slmfleet.router.reload-interval", "100ms"),
                    Map.entry("slmfleet.router.max-body-size", "64K"),
                    Map.entry("slmfleet.router.fallback-timeout", "2s"),
                    Map.entry("slmfleet.router.connect-timeout", "1s"),
                    Map.entry("slmfleet.router.shadow-concurrency", String.valueOf(SHADOW_CONCURRENCY)),
                    Map.entry("slmfleet.router.capture.queue-size", "1000"),
                    Map.entry("slmfleet.router.capture.max-file-size", "4K"),
                    // as SlmFleetMain starts router mode: the router's own server, on a free port, and no Quarkus listener
                    Map.entry("slmfleet.router.port", "0"),
                    Map.entry("quarkus.http.host-enabled", "false"),
                    Map.entry("quarkus.kubernetes-client.devservices.enabled", "false"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
