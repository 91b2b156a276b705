package io.slmfleet.router;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A caller's request body, read in one streaming pass instead of a JSON tree: the pass checks the syntax and picks out
 * what routing needs (model, stream, stream_options.include_usage, whether messages or prompt is there) and where the
 * model value sits, so that rewriting the model is a byte splice. Everything else is forwarded byte for byte.
 */
final class RequestBody {

    private static final JsonFactory JSON = new JsonFactory();
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final byte[] bytes;
    private final String model;
    /** Byte ranges [start, end) of every model value, or the single insertion point {open + 1, open + 1}. */
    private final int[] modelRanges;
    private final boolean stream;
    private final boolean streamUsage;
    private final boolean hasStreamOptions;
    private final boolean hasRequiredField;

    private RequestBody(byte[] bytes, String model, int[] modelRanges, boolean stream, boolean streamUsage,
            boolean hasStreamOptions, boolean hasRequiredField) {
        this.bytes = bytes;
        this.model = model;
        this.modelRanges = modelRanges;
        this.stream = stream;
        this.streamUsage = streamUsage;
        this.hasStreamOptions = hasStreamOptions;
        this.hasRequiredField = hasRequiredField;
    }

    /**
     * @throws NotAnObjectException when the body is valid JSON but not an object
     * @throws IOException when the body is not JSON
     */
    static RequestBody read(byte[] bytes, Operation operation) throws IOException {
        try (JsonParser parser = JSON.createParser(bytes)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                if (parser.currentToken() == null) {
                    throw new IOException("the body is empty");
                }
                parser.skipChildren();
                if (parser.nextToken() != null) {
                    throw new IOException("unexpected content after the JSON value");
                }
                throw new NotAnObjectException();
            }
            int open = (int) parser.currentTokenLocation().getByteOffset();
            String model = null;
            int[] modelRanges = new int[0];
            boolean stream = false;
            boolean streamUsage = false;
            boolean hasStreamOptions = false;
            boolean hasRequiredField = false;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                if (name.equals("model")) {
                    int start = (int) parser.currentTokenLocation().getByteOffset();
                    model = value == JsonToken.VALUE_STRING ? parser.getText() : null;
                    parser.skipChildren();
                    int end = (int) parser.currentLocation().getByteOffset();
                    modelRanges = Arrays.copyOf(modelRanges, modelRanges.length + 2);
                    modelRanges[modelRanges.length - 2] = start;
                    modelRanges[modelRanges.length - 1] = end;
                } else if (name.equals("stream")) {
                    stream = value == JsonToken.VALUE_TRUE;
                } else if (name.equals("stream_options") && value == JsonToken.START_OBJECT) {
                    hasStreamOptions = true;
                    while (parser.nextToken() == JsonToken.FIELD_NAME) {
                        String option = parser.currentName();
                        JsonToken optionValue = parser.nextToken();
                        if (option.equals("include_usage")) {
                            streamUsage = optionValue == JsonToken.VALUE_TRUE;
                        }
                        parser.skipChildren();
                    }
                } else if (name.equals("stream_options")) {
                    hasStreamOptions = true;
                    parser.skipChildren();
                } else if (name.equals(operation.requiredField)) {
                    hasRequiredField = operation == Operation.CHAT
                            ? value == JsonToken.START_ARRAY && nonEmptyArray(parser)
                            : value != JsonToken.VALUE_NULL;
                    parser.skipChildren();
                } else {
                    parser.skipChildren();
                }
            }
            if (parser.nextToken() != null) {
                throw new IOException("unexpected content after the JSON object");
            }
            if (modelRanges.length == 0) {
                modelRanges = new int[] { open + 1, open + 1 };
            }
            return new RequestBody(bytes, model, modelRanges, stream, streamUsage, hasStreamOptions,
                    hasRequiredField);
        }
    }

    /** Reads the array's elements; true when there was one. Leaves the parser on the array's end. */
    private static boolean nonEmptyArray(JsonParser parser) throws IOException {
        boolean any = false;
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            any = true;
            parser.skipChildren();
        }
        return any;
    }

    /** The caller's model field as text, or null when absent or not a string. */
    String model() {
        return model;
    }

    boolean stream() {
        return stream;
    }

    /** A stream whose last event carries usage (stream_options.include_usage). */
    boolean streamUsage() {
        return streamUsage;
    }

    /** messages is a non-empty array (chat), or prompt is there (completions). */
    boolean hasRequiredField() {
        return hasRequiredField;
    }

    byte[] bytes() {
        return bytes;
    }

    /** The body with every model value replaced, or a model field added first when there was none. */
    byte[] withModel(String newModel) {
        byte[] quoted = quoted(newModel);
        boolean insert = modelRanges.length == 2 && modelRanges[0] == modelRanges[1];
        byte[] replacement = insert ? concat("\"model\":".getBytes(), quoted, new byte[] { ',' }) : quoted;
        int growth = 0;
        for (int i = 0; i < modelRanges.length; i += 2) {
            growth += replacement.length - (modelRanges[i + 1] - modelRanges[i]);
        }
        byte[] out = new byte[bytes.length + growth];
        int from = 0;
        int to = 0;
        for (int i = 0; i < modelRanges.length; i += 2) {
            int length = modelRanges[i] - from;
            System.arraycopy(bytes, from, out, to, length);
            to += length;
            System.arraycopy(replacement, 0, out, to, replacement.length);
            to += replacement.length;
            from = modelRanges[i + 1];
        }
        System.arraycopy(bytes, from, out, to, bytes.length - from);
        return out;
    }

    /**
     * The body for a comparison's shadow call: the model replaced and streaming turned off, since the comparison
     * needs the whole answer. A body that does not stream is only spliced, as {@link #withModel}; one that does is
     * rebuilt without stream and stream_options.
     */
    byte[] forShadowCall(String newModel) {
        if (!stream && !hasStreamOptions) {
            return withModel(newModel);
        }
        try {
            ObjectNode tree = (ObjectNode) MAPPER.readTree(bytes);
            tree.put("model", newModel);
            tree.remove("stream");
            tree.remove("stream_options");
            return MAPPER.writeValueAsBytes(tree);
        } catch (IOException e) {
            throw new UncheckedIOException("the body was read as a JSON object before", e);
        }
    }

    private static byte[] quoted(String text) {
        return concat(new byte[] { '"' }, JsonStringEncoder.getInstance().quoteAsUTF8(text), new byte[] { '"' });
    }

    private static byte[] concat(byte[]... parts) {
        int length = 0;
        for (byte[] part : parts) {
            length += part.length;
        }
        byte[] out = new byte[length];
        int at = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, out, at, part.length);
            at += part.length;
        }
        return out;
    }

    /** Valid JSON that is not an object. */
    static final class NotAnObjectException extends IOException {
        NotAnObjectException() {
            super("request body must be a JSON object");
        }
    }
}
