package io.slmfleet.routing;

import java.io.IOException;
import java.io.UncheckedIOException;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

/** The one JSON form of a {@link RoutingTable}: stable key order, so equal tables give equal bytes and equal hashes. */
public final class RoutingTableCodec {

    public static final String FILE_NAME = "routing-table.json";

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private RoutingTableCodec() {
    }

    public static String toJson(RoutingTable table) {
        try {
            return MAPPER.writeValueAsString(table) + "\n";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static RoutingTable fromJson(String json) {
        try {
            RoutingTable table = MAPPER.readValue(json, RoutingTable.class);
            if (!RoutingTable.API_VERSION.equals(table.apiVersion())) {
                throw new IllegalArgumentException("routing table apiVersion " + table.apiVersion() + " is not "
                        + RoutingTable.API_VERSION);
            }
            return table;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
