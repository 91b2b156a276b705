package io.slmfleet.router.table;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A mounted file read by content hash. Kubelet updates a mounted ConfigMap or Secret by swapping the directory's
 * {@code ..data} symlink, which a file watch on the file itself misses; hashing what the path reads now catches every
 * change, whatever the mechanism, and reads nothing twice.
 */
final class WatchedFile {

    private final Path path;
    private String lastHash;

    WatchedFile(Path path) {
        this.path = path;
    }

    Path path() {
        return path;
    }

    /** @return the content when it differs from what the previous call returned, otherwise null */
    Content readIfChanged() throws IOException {
        byte[] bytes = Files.readAllBytes(path);
        String hash = sha256(bytes);
        if (hash.equals(lastHash)) {
            return null;
        }
        lastHash = hash;
        return new Content(bytes, hash);
    }

    /** Forgets the last content, so that the file is read as new even when unchanged (after it went missing). */
    void forget() {
        lastHash = null;
    }

    static String sha256(byte[] bytes) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    record Content(byte[] bytes, String hash) {
    }
}
