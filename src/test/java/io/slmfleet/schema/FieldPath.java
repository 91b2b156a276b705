package io.slmfleet.schema;

/**
 * A field path as k8s.io/apimachinery's field.Path prints it: {@code spec.adapters[0].name}, map keys in brackets
 * ({@code spec.nodeSelector[zone]}); the root prints as {@code <nil>}.
 */
public record FieldPath(String text) {

    public static final FieldPath ROOT = new FieldPath("");

    public FieldPath child(String name) {
        return new FieldPath(text.isEmpty() ? name : text + "." + name);
    }

    public FieldPath index(int index) {
        return new FieldPath(text + "[" + index + "]");
    }

    public FieldPath key(String key) {
        return new FieldPath(text + "[" + key + "]");
    }

    public boolean isRoot() {
        return text.isEmpty();
    }

    @Override
    public String toString() {
        return text.isEmpty() ? FieldError.NO_FIELD : text;
    }
}
