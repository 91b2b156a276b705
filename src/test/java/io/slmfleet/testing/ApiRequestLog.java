package io.slmfleet.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.fabric8.mockwebserver.dsl.HttpMethod;

/** Every request the mock API server received, so tests can count writes (a converged operator makes none). */
public final class ApiRequestLog {

    /**
     * @param method HTTP method
     * @param path the path without its query
     * @param watch whether the request was a watch (query watch=true)
     * @param userAgent the client's User-Agent header
     */
    public record Call(HttpMethod method, String path, boolean watch, String userAgent) {
        public boolean isWrite() {
            return method == HttpMethod.POST || method == HttpMethod.PUT || method == HttpMethod.PATCH
                    || method == HttpMethod.DELETE;
        }
    }

    private final List<Call> calls = new CopyOnWriteArrayList<>();

    void record(HttpMethod method, String path, String userAgent) {
        int query = path.indexOf('?');
        boolean watch = query >= 0 && path.substring(query).contains("watch=true");
        calls.add(new Call(method, query < 0 ? path : path.substring(0, query), watch, userAgent));
    }

    public List<Call> all() {
        return List.copyOf(calls);
    }

    /** A mark to count from: {@code writesSince(mark)}. */
    public int mark() {
        return calls.size();
    }

    public List<Call> writesSince(int mark) {
        return calls.subList(mark, calls.size()).stream().filter(Call::isWrite).toList();
    }

    /** Writes since the mark that touched paths containing {@code fragment} (e.g. "/namespaces/ns-1/"). */
    public List<Call> writesSince(int mark, String fragment) {
        return writesSince(mark).stream().filter(call -> call.path().contains(fragment)).toList();
    }
}
