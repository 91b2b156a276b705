package io.slmfleet.router.table;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

import org.jboss.logging.Logger;

/**
 * Callers' bearer tokens, one per line in a mounted Secret, reloaded when the file changes. Only the tokens' hashes
 * are kept, so a lookup takes the same time whatever prefix of a token a caller guesses. Without a tokens file,
 * every caller is let in; with one that cannot be read, nobody.
 */
public final class CallerAuth {

    private static final Logger LOG = Logger.getLogger(CallerAuth.class);
    private static final String BEARER = "bearer ";

    private final WatchedFile file;
    private volatile Set<String> tokenHashes = Set.of();
    private boolean unreadable;

    /** @param path the tokens file, or null when callers need no token */
    public CallerAuth(Path path) {
        this.file = path == null ? null : new WatchedFile(path);
    }

    public boolean enabled() {
        return file != null;
    }

    /** @param authorization the request's Authorization header, or null */
    public boolean permits(String authorization) {
        if (file == null) {
            return true;
        }
        if (authorization == null || authorization.length() <= BEARER.length()
                || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return false;
        }
        String token = authorization.substring(BEARER.length()).strip();
        return tokenHashes.contains(WatchedFile.sha256(token.getBytes(StandardCharsets.UTF_8)));
    }

    public synchronized void reloadIfChanged() {
        if (file == null) {
            return;
        }
        try {
            WatchedFile.Content content = file.readIfChanged();
            if (content == null) {
                return;
            }
            Set<String> hashes = new HashSet<>();
            for (String line : new String(content.bytes(), StandardCharsets.UTF_8).split("\n")) {
                String token = line.strip();
                if (!token.isEmpty()) {
                    hashes.add(WatchedFile.sha256(token.getBytes(StandardCharsets.UTF_8)));
                }
            }
            tokenHashes = Set.copyOf(hashes);
            unreadable = false;
            LOG.infof("Loaded %d caller tokens from %s", hashes.size(), file.path());
        } catch (IOException e) {
            if (!unreadable) {
                LOG.errorf("Cannot read caller tokens from %s, letting nobody in: %s", file.path(), e);
            }
            unreadable = true;
            tokenHashes = Set.of();
            file.forget();
        }
    }
}
