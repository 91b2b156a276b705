package io.slmfleet.router.table;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * Where requests for a target or the fallback go, parsed once per table: an OpenAI-compatible base URL such as
 * {@code http://invoice-parser.agents.svc:8000/v1}, to which an operation path like {@code /chat/completions} is added.
 */
public record Upstream(boolean ssl, String host, int port, String basePath) {

    public static Upstream parse(String endpoint) {
        URI uri;
        try {
            uri = new URI(endpoint);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("endpoint " + endpoint + " is not a URL: " + e.getMessage());
        }
        String scheme = uri.getScheme();
        if (!"http".equals(scheme) && !"https".equals(scheme)) {
            throw new IllegalArgumentException("endpoint " + endpoint + " is not an http(s) URL");
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("endpoint " + endpoint + " has no host");
        }
        boolean ssl = "https".equals(scheme);
        int port = uri.getPort() > 0 ? uri.getPort() : ssl ? 443 : 80;
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        return new Upstream(ssl, uri.getHost(), port, path);
    }

    /** @param operation the path after the base URL's /v1, e.g. /chat/completions */
    public String uri(String operation) {
        return basePath + operation;
    }
}
