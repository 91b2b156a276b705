package io.slmfleet.testing;

import java.net.HttpURLConnection;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Queue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.internal.SimpleRequest;

/**
 * Test support only: the fabric8 CRUD mock answers a server-side-apply PATCH
 * ({@code application/apply-patch+yaml}) with 404 when the object is missing
 * (fabric8io/kubernetes-client#5337) and with 415 when it exists (PatchHandler only knows
 * json-patch and merge-patch). A real API server creates or updates the object.
 * <p>
 * This dispatcher turns every apply PATCH into plain CRUD calls on the normal mixed dispatcher:
 * GET the object; if it is missing, POST the applied object to the collection (like a real apply-create);
 * otherwise PUT the JSON merge (RFC 7386) of the applied object onto the stored one. A PATCH to a
 * missing object's {@code /status} stays 404, like a real API server. Other requests, and apply PATCHes
 * that match a recorded {@code expect()} expectation, are handled unchanged.
 * <p>
 * Lists with a field selector are filtered here too (see {@link #listWithFieldSelector}).
 * <p>
 * Not real SSA: there is no field ownership and no {@code metadata.managedFields}, and fields you stop
 * applying are kept, not pruned. A {@code metadata.resourceVersion} in the applied object is still a
 * precondition (409 on mismatch).
 */
public class ServerSideApplyCrudDispatcher extends KubernetesMixedDispatcher {

  private static final String APPLY_SUBTYPE = "apply-patch+yaml";
  private static final int MAX_ATTEMPTS = 5;
  private static final String FIELD_SELECTOR = "fieldSelector=";

  private final Map<ServerRequest, Queue<ServerResponse>> responses;
  private final KubernetesSerialization serialization = new KubernetesSerialization();

  public ServerSideApplyCrudDispatcher(Map<ServerRequest, Queue<ServerResponse>> responses) {
    this(responses, List.of());
  }

  public ServerSideApplyCrudDispatcher(Map<ServerRequest, Queue<ServerResponse>> responses,
      List<CustomResourceDefinitionContext> crdContexts) {
    super(responses, crdContexts);
    this.responses = responses;
  }

  /** Every request as the client sent it (the internal GET/POST/PUT of an apply are not recorded). */
  public final ApiRequestLog requests = new ApiRequestLog();

  @Override
  public MockResponse dispatch(RecordedRequest request) {
    requests.record(request.method(), request.getPath(), request.getHeader("User-Agent"));
    if (isListWithFieldSelector(request)) {
      return listWithFieldSelector(request);
    }
    if (!isApply(request) || hasExpectation(request)) {
      return super.dispatch(request);
    }
    return apply(request);
  }

  /**
   * The CRUD mock matches a field selector only on metadata.name and metadata.namespace and finds nothing for any
   * other field (e.g. an Event's involvedObject.uid, which the API server supports). Here a list with a field selector
   * is answered as the API server would: the list without it, filtered by each {@code path=value} requirement.
   */
  private MockResponse listWithFieldSelector(RecordedRequest request) {
    String path = request.getPath();
    String selector = null;
    StringBuilder rest = new StringBuilder();
    for (String parameter : path.substring(path.indexOf('?') + 1).split("&")) {
      if (parameter.startsWith(FIELD_SELECTOR)) {
        selector = URLDecoder.decode(parameter.substring(FIELD_SELECTOR.length()), StandardCharsets.UTF_8);
      } else {
        rest.append(rest.length() == 0 ? "?" : "&").append(parameter);
      }
    }
    MockResponse list = super.dispatch(subRequest(HttpMethod.GET, path.substring(0, path.indexOf('?')) + rest, null));
    if (list.code() != HttpURLConnection.HTTP_OK) {
      return list;
    }
    ObjectNode body = (ObjectNode) read(list.getBody());
    ArrayNode kept = body.arrayNode();
    for (JsonNode item : body.path("items")) {
      if (matches(item, selector)) {
        kept.add(item);
      }
    }
    body.set("items", kept);
    return new MockResponse().setResponseCode(HttpURLConnection.HTTP_OK).setBody(body.toString());
  }

  private static boolean isListWithFieldSelector(RecordedRequest request) {
    String path = request.getPath();
    return request.method() == HttpMethod.GET && path.contains("?") && !path.contains("watch=true")
        && path.substring(path.indexOf('?') + 1).contains(FIELD_SELECTOR);
  }

  /** {@code a.b=v,c!=w} against the item's fields (a missing field is the empty string, as for the API server). */
  private static boolean matches(JsonNode item, String selector) {
    for (String requirement : selector.split(",")) {
      boolean negated = requirement.contains("!=");
      String[] parts = requirement.split(negated ? "!=" : "==?", 2);
      JsonNode value = item;
      for (String field : parts[0].split("\\.")) {
        value = value.path(field);
      }
      if (value.asText("").equals(parts[1]) == negated) {
        return false;
      }
    }
    return true;
  }

  private synchronized MockResponse apply(RecordedRequest request) {
    String path = request.getPath();
    int query = path.indexOf('?');
    String objectPath = query < 0 ? path : path.substring(0, query);
    // fabric8 sends JSON; a YAML body (patch(PatchContext SSA, String)) is accepted too.
    JsonNode applied = read(request.getBody());
    MockResponse response = null;
    // Retry when another write lands between our GET and our POST/PUT (POST 409 or PUT 409).
    for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      MockResponse current = super.dispatch(subRequest(HttpMethod.GET, objectPath, null));
      if (current.code() == HttpURLConnection.HTTP_NOT_FOUND) {
        if (objectPath.endsWith("/status")) {
          return current; // apply to the status of a missing object: 404, as on a real server
        }
        String collectionPath = objectPath.substring(0, objectPath.lastIndexOf('/'));
        response = super.dispatch(subRequest(HttpMethod.POST, collectionPath, applied.toString()));
      } else if (current.code() == HttpURLConnection.HTTP_OK) {
        JsonNode merged = mergePatch(read(current.getBody()), applied);
        response = super.dispatch(subRequest(HttpMethod.PUT, objectPath, merged.toString()));
      } else {
        return current;
      }
      if (response.code() != HttpURLConnection.HTTP_CONFLICT || hasResourceVersion(applied)) {
        return response;
      }
    }
    return response;
  }

  private static boolean isApply(RecordedRequest request) {
    String contentType = request.getHeader("Content-Type");
    return request.method() == HttpMethod.PATCH && contentType != null
        && contentType.toLowerCase().contains(APPLY_SUBTYPE);
  }

  private boolean hasExpectation(RecordedRequest request) {
    Queue<ServerResponse> queue = responses.get(new SimpleRequest(HttpMethod.PATCH, request.getPath()));
    return queue != null && !queue.isEmpty();
  }

  private static boolean hasResourceVersion(JsonNode applied) {
    return !applied.path("metadata").path("resourceVersion").asText().isEmpty();
  }

  private JsonNode read(Buffer body) { // getBytes() does not consume the buffer, readUtf8() would
    return serialization.unmarshal(new String(body.getBytes(), StandardCharsets.UTF_8), JsonNode.class);
  }

  private static RecordedRequest subRequest(HttpMethod method, String path, String body) {
    Headers headers = Headers.builder().add("Content-Type", "application/json").build();
    Buffer buffer = new Buffer(body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8));
    return new RecordedRequest("HTTP/1.1", method, path, headers, buffer);
  }

  /** RFC 7386 JSON merge patch: objects merge recursively, null removes, anything else (arrays too) replaces. */
  static JsonNode mergePatch(JsonNode target, JsonNode patch) {
    if (!patch.isObject()) {
      return patch.deepCopy();
    }
    ObjectNode result = target != null && target.isObject() ? ((ObjectNode) target).deepCopy()
        : ((ObjectNode) patch).objectNode();
    for (Map.Entry<String, JsonNode> field : patch.properties()) {
      if (field.getValue().isNull()) {
        result.remove(field.getKey());
      } else {
        result.set(field.getKey(), mergePatch(result.get(field.getKey()), field.getValue()));
      }
    }
    return result;
  }
}
