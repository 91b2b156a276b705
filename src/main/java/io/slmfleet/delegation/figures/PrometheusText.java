package io.slmfleet.delegation.figures;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Reads the Prometheus text exposition format (version 0.0.4), as Micrometer writes it on /q/metrics. */
public final class PrometheusText {

    /** One sample line: a metric name, its labels and its value. */
    public record Sample(String name, Map<String, String> labels, double value) {
    }

    private PrometheusText() {
    }

    /**
     * @throws IllegalArgumentException on a line that is not a comment, blank, or a sample
     */
    public static List<Sample> parse(String text) {
        List<Sample> samples = new ArrayList<>();
        String[] lines = text.split("\n");
        for (int number = 0; number < lines.length; number++) {
            String line = lines[number].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            try {
                samples.add(sample(line));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("line " + (number + 1) + " is not a sample: " + line, e);
            }
        }
        return samples;
    }

    private static Sample sample(String line) {
        int position = 0;
        while (position < line.length() && line.charAt(position) != '{' && !Character.isWhitespace(line.charAt(position))) {
            position++;
        }
        String name = line.substring(0, position);
        if (name.isEmpty()) {
            throw new IllegalArgumentException("no metric name");
        }
        Map<String, String> labels = new TreeMap<>();
        if (position < line.length() && line.charAt(position) == '{') {
            position = labels(line, position + 1, labels);
        }
        String[] rest = line.substring(position).strip().split("\\s+");
        // rest[1], when present, is a timestamp: the value is the latest either way
        return new Sample(name, labels, value(rest[0]));
    }

    /** Reads name="value" pairs up to the closing brace; returns the position after it. */
    private static int labels(String line, int position, Map<String, String> labels) {
        while (true) {
            while (line.charAt(position) == ' ' || line.charAt(position) == ',') {
                position++;
            }
            if (line.charAt(position) == '}') {
                return position + 1;
            }
            int equals = line.indexOf('=', position);
            String label = line.substring(position, equals).strip();
            if (line.charAt(equals + 1) != '"') {
                throw new IllegalArgumentException("label " + label + " has no quoted value");
            }
            StringBuilder value = new StringBuilder();
            position = equals + 2;
            for (char c = line.charAt(position); c != '"'; c = line.charAt(++position)) {
                if (c == '\\') {
                    char escaped = line.charAt(++position);
                    value.append(escaped == 'n' ? '\n' : escaped);
                } else {
                    value.append(c);
                }
            }
            labels.put(label, value.toString());
            position++;
        }
    }

    static double value(String text) {
        return switch (text) {
            case "+Inf", "Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            case "NaN" -> Double.NaN;
            default -> Double.parseDouble(text);
        };
    }
}
