package io.slmfleet.schema;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The API server's admission of a custom resource of one CRD, without a cluster, in its order: strict decoding
 * (unknown fields reject the request), status dropped (the status subresource owns it), nulls pruned, structural
 * defaults applied, then metadata, OpenAPI schema and list-map validation, and the CEL rules unless a schema error
 * already makes the object unfit for them.
 */
public final class ApiServer {

    /** k8s.io/apimachinery IsDNS1123Subdomain. */
    private static final Pattern DNS_1123_SUBDOMAIN = Pattern.compile(
            "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

    private final CrdSchema crd;
    private final OpenApiValidation openApi;

    private ApiServer(CrdSchema crd) {
        this.crd = crd;
        this.openApi = new OpenApiValidation(crd.openApiV3Schema());
    }

    public static ApiServer of(CrdSchema crd) {
        return new ApiServer(crd);
    }

    /** For a kind of {@code crds/}. */
    public static ApiServer forKind(String kind) {
        return new ApiServer(CrdSchema.forKind(kind));
    }

    public CrdSchema crd() {
        return crd;
    }

    /** The outcome of a create or update: the object as it would be stored, and the errors that reject it. */
    public record Admission(JsonNode object, List<FieldError> errors) {

        public boolean accepted() {
            return errors.isEmpty();
        }

        /** The error lines as kubectl prints them after "is invalid:". */
        public List<String> messages() {
            return errors.stream().map(FieldError::toString).toList();
        }
    }

    public Admission create(JsonNode resource) {
        return admit(resource, null);
    }

    /** An update of {@code stored} (an accepted object, as returned by {@link #create}) to {@code resource}. */
    public Admission update(JsonNode stored, JsonNode resource) {
        return admit(resource, stored);
    }

    /** The object with defaults applied, as the operator reads it back from the API server. */
    public JsonNode defaulted(JsonNode resource) {
        ObjectNode object = resource.deepCopy();
        StructuralDefaulting.pruneNulls(object, crd.openApiV3Schema());
        StructuralDefaulting.applyDefaults(object, crd.openApiV3Schema());
        return object;
    }

    private Admission admit(JsonNode resource, JsonNode old) {
        JsonNode schema = crd.openApiV3Schema();
        List<String> unknown = StructuralDefaulting.unknownFields(resource, schema);
        if (!unknown.isEmpty()) {
            return new Admission(resource, unknown.stream().map(FieldError::unknownField).toList());
        }
        ObjectNode object = resource.deepCopy();
        object.remove("status");
        if (old != null) {
            JsonNode oldStatus = old.get("status");
            if (oldStatus != null) {
                object.set("status", oldStatus);
            }
        }
        StructuralDefaulting.pruneNulls(object, schema);
        StructuralDefaulting.applyDefaults(object, schema);

        List<FieldError> errors = new ArrayList<>(validateMetadata(object.path("metadata")));
        errors.addAll(openApi.validate(object, ""));
        if (old == null || ListMapValidation.validate(old, schema, FieldPath.ROOT).isEmpty()) {
            errors.addAll(ListMapValidation.validate(object, schema, FieldPath.ROOT));
        }
        if (errors.stream().anyMatch(FieldError::blocksCelRules)) {
            errors.add(FieldError.invalid(FieldError.NO_FIELD, "\"null\"", "some validation rules were not checked because the "
                    + "object was invalid; correct the existing errors to complete validation"));
        } else {
            errors.addAll(CelValidation.validate(object, old, schema, FieldPath.ROOT, true));
        }
        return new Admission(object, List.copyOf(errors));
    }

    private static List<FieldError> validateMetadata(JsonNode metadata) {
        String name = metadata.path("name").asText("");
        if (name.isEmpty()) {
            return metadata.path("generateName").asText("").isEmpty()
                    ? List.of(FieldError.required("metadata.name", "name or generateName is required"))
                    : List.of();
        }
        if (name.length() > 253 || !DNS_1123_SUBDOMAIN.matcher(name).matches()) {
            return List.of(FieldError.invalid("metadata.name", GoValues.quote(name), "a lowercase RFC 1123 subdomain must "
                    + "consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric "
                    + "character (e.g. 'example.com', regex used for validation is "
                    + "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"));
        }
        return List.of();
    }
}
