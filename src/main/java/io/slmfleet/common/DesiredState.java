package io.slmfleet.common;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Quantity;

/**
 * Decides whether a child object already is what the operator wants, without a request to the API server.
 * <p>
 * Two checks, both needed: the hash of the desired object, stamped on it as an annotation, changes whenever the
 * operator wants something different (including a field it stopped setting); the containment check catches a child
 * edited by hand (drift) while the hash annotation stayed. Fields the API server adds (defaults, status, metadata) are
 * ignored because only what the operator sets is compared, quantities by value ("1000m" equals "1").
 */
public final class DesiredState {

    public static final String HASH_ANNOTATION = "slmfleet.io/desired-hash";

    private static final ObjectMapper CANONICAL = JsonMapper.builder()
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .build();

    private DesiredState() {
    }

    /** Stamps the hash of {@code desired} (computed without the stamp) on it, and returns it. */
    public static <T extends HasMetadata> T stamped(T desired) {
        desired.getMetadata().getAnnotations().remove(HASH_ANNOTATION);
        desired.getMetadata().getAnnotations().put(HASH_ANNOTATION, hash(desired));
        return desired;
    }

    public static String hash(Object object) {
        try {
            byte[] json = CANONICAL.writeValueAsBytes(CANONICAL.valueToTree(object));
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(json)).substring(0, 16);
        } catch (NoSuchAlgorithmException | com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot hash desired state", e);
        }
    }

    public static String sha256(String text) {
        try {
            return "sha256:" + HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** True when {@code actual} carries the desired hash and still holds every field {@code desired} sets. */
    public static boolean isSatisfiedBy(HasMetadata desired, HasMetadata actual) {
        if (actual == null) {
            return false;
        }
        String wanted = desired.getMetadata().getAnnotations().get(HASH_ANNOTATION);
        String found = actual.getMetadata().getAnnotations() == null ? null
                : actual.getMetadata().getAnnotations().get(HASH_ANNOTATION);
        if (wanted == null || !wanted.equals(found)) {
            return false;
        }
        JsonNode wantedTree = CANONICAL.valueToTree(desired);
        JsonNode actualTree = CANONICAL.valueToTree(actual);
        return contains(wantedTree, actualTree);
    }

    static boolean contains(JsonNode desired, JsonNode actual) {
        if (desired == null || desired.isNull()) {
            return true;
        }
        if (desired.isObject()) {
            if (desired.isEmpty()) {
                return actual == null || actual.isNull() || actual.isObject();
            }
            if (actual == null || !actual.isObject()) {
                return false;
            }
            for (Iterator<Map.Entry<String, JsonNode>> fields = desired.fields(); fields.hasNext();) {
                Map.Entry<String, JsonNode> field = fields.next();
                if (!contains(field.getValue(), actual.get(field.getKey()))) {
                    return false;
                }
            }
            return true;
        }
        if (desired.isArray()) {
            if (desired.isEmpty()) {
                return actual == null || actual.isNull() || (actual.isArray() && actual.isEmpty());
            }
            if (actual == null || !actual.isArray() || actual.size() != desired.size()) {
                return false;
            }
            for (int i = 0; i < desired.size(); i++) {
                if (!contains(desired.get(i), actual.get(i))) {
                    return false;
                }
            }
            return true;
        }
        if (actual == null || actual.isNull()) {
            return false;
        }
        return desired.equals(actual) || sameQuantity(desired, actual);
    }

    private static boolean sameQuantity(JsonNode desired, JsonNode actual) {
        if (!desired.isValueNode() || !actual.isValueNode()) {
            return false;
        }
        try {
            BigDecimal wanted = Quantity.getAmountInBytes(new Quantity(desired.asText()));
            BigDecimal found = Quantity.getAmountInBytes(new Quantity(actual.asText()));
            return wanted.compareTo(found) == 0;
        } catch (IllegalArgumentException | ArithmeticException e) {
            return false;
        }
    }
}
