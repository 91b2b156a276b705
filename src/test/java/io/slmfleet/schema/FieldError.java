package io.slmfleet.schema;

import java.util.List;
import java.util.stream.Collectors;

/**
 * One validation error as the API server reports it (k8s.io/apimachinery field.Error): {@code <field>: <body>}, e.g.
 * {@code spec.gpu.count: Invalid value: 0: spec.gpu.count in body should be greater than or equal to 1}.
 */
public record FieldError(Type type, String field, String body) {

    /** The error types the API server distinguishes; some of them stop CEL evaluation. */
    public enum Type {
        REQUIRED,
        INVALID,
        NOT_SUPPORTED,
        DUPLICATE,
        FORBIDDEN,
        TOO_LONG,
        TOO_MANY,
        TYPE_INVALID,
        /** A field the schema does not declare: kubectl's strict field validation rejects the whole request. */
        UNKNOWN_FIELD
    }

    /** Root-level errors have no field; the API server prints a nil path. */
    public static final String NO_FIELD = "<nil>";

    public static FieldError required(String field) {
        return new FieldError(Type.REQUIRED, field, "Required value");
    }

    public static FieldError required(String field, String detail) {
        return new FieldError(Type.REQUIRED, field, "Required value: " + detail);
    }

    /** {@code value} is already rendered (see {@link GoValues}). */
    public static FieldError invalid(String field, String value, String detail) {
        return new FieldError(Type.INVALID, field, "Invalid value: " + value + ": " + detail);
    }

    public static FieldError typeInvalid(String field, String value, String detail) {
        return new FieldError(Type.TYPE_INVALID, field, "Invalid value: " + value + ": " + detail);
    }

    public static FieldError notSupported(String field, String value, List<String> supported) {
        String quoted = supported.stream().map(GoValues::quote).collect(Collectors.joining(", "));
        return new FieldError(Type.NOT_SUPPORTED, field, "Unsupported value: " + value + ": supported values: " + quoted);
    }

    public static FieldError duplicate(String field, String value) {
        return new FieldError(Type.DUPLICATE, field, "Duplicate value: " + value);
    }

    public static FieldError forbidden(String field, String detail) {
        return new FieldError(Type.FORBIDDEN, field, "Forbidden: " + detail);
    }

    public static FieldError tooLong(String field, long maxLength) {
        return new FieldError(Type.TOO_LONG, field, "Too long: may not be longer than " + maxLength);
    }

    public static FieldError tooMany(String field, long actual, long max) {
        return new FieldError(Type.TOO_MANY, field, "Too many: " + actual + ": must have at most " + max + " items");
    }

    public static FieldError unknownField(String field) {
        return new FieldError(Type.UNKNOWN_FIELD, field, null);
    }

    /** Schema errors of these types make the object unfit for CEL rules (apiextensions-apiserver hasBlockingErr). */
    public boolean blocksCelRules() {
        return type == Type.NOT_SUPPORTED || type == Type.REQUIRED || type == Type.TOO_LONG || type == Type.TOO_MANY
                || type == Type.TYPE_INVALID;
    }

    @Override
    public String toString() {
        if (type == Type.UNKNOWN_FIELD) {
            return "strict decoding error: unknown field " + GoValues.quote(field);
        }
        return field + ": " + body;
    }
}
