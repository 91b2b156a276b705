package io.slmfleet.schema;

import java.math.BigDecimal;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Renders values the way the API server's Go code prints them in error messages: strings as Go quoted strings,
 * numbers and booleans as {@code %v} (a JSON number without a fraction is an int64, any other a float64), objects
 * as Go syntax ({@code %#v} of a {@code map[string]interface {}}).
 */
public final class GoValues {

    private GoValues() {
    }

    /** {@code %v} for scalars, {@code %q} for strings, {@code %#v} for objects and arrays. */
    public static String render(JsonNode value) {
        if (value == null || value.isNull()) {
            return "null";
        }
        if (value.isTextual()) {
            return quote(value.asText());
        }
        if (value.isIntegralNumber()) {
            return value.bigIntegerValue().toString();
        }
        if (value.isNumber()) {
            return formatFloat(value.doubleValue());
        }
        if (value.isBoolean()) {
            return String.valueOf(value.booleanValue());
        }
        return goSyntax(value);
    }

    /** Go's {@code %#v}, used for the list-map keys of a duplicate entry. */
    public static String goSyntax(JsonNode value) {
        if (value == null || value.isNull()) {
            return "interface {}(nil)";
        }
        if (value.isObject()) {
            StringBuilder out = new StringBuilder("map[string]interface {}{");
            Map<String, JsonNode> sorted = new TreeMap<>();
            value.fields().forEachRemaining(entry -> sorted.put(entry.getKey(), entry.getValue()));
            Iterator<Map.Entry<String, JsonNode>> entries = sorted.entrySet().iterator();
            while (entries.hasNext()) {
                Map.Entry<String, JsonNode> entry = entries.next();
                out.append(quote(entry.getKey())).append(':').append(goSyntax(entry.getValue()));
                if (entries.hasNext()) {
                    out.append(", ");
                }
            }
            return out.append('}').toString();
        }
        if (value.isArray()) {
            StringBuilder out = new StringBuilder("[]interface {}{");
            for (int i = 0; i < value.size(); i++) {
                out.append(i == 0 ? "" : ", ").append(goSyntax(value.get(i)));
            }
            return out.append('}').toString();
        }
        return render(value);
    }

    /** Go's strconv.Quote for the characters that occur in manifests. */
    public static String quote(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                case '\r' -> out.append("\\r");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        out.append(String.format("\\x%02x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    /**
     * Go's {@code %v} of a float64 (strconv 'g' format, shortest representation): plain decimal for exponents from
     * -4 to 5, otherwise an exponent such as 1e-05 or 1e+06.
     */
    public static String formatFloat(double value) {
        if (Double.isNaN(value)) {
            return "NaN";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "+Inf" : "-Inf";
        }
        if (value == 0) {
            return (1 / value < 0) ? "-0" : "0";
        }
        BigDecimal shortest = new BigDecimal(Double.toString(value)).stripTrailingZeros();
        int exponent = shortest.precision() - shortest.scale() - 1;
        if (exponent < -4 || exponent >= 6) {
            String digits = shortest.unscaledValue().abs().toString();
            String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
            String sign = shortest.signum() < 0 ? "-" : "";
            String exponentSign = exponent < 0 ? "-" : "+";
            int magnitude = Math.abs(exponent);
            return sign + mantissa + "e" + exponentSign + (magnitude < 10 ? "0" : "") + magnitude;
        }
        return shortest.toPlainString();
    }
}
