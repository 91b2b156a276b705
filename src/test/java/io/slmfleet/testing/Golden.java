package io.slmfleet.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Golden files: the exact YAML a resource reconciles into, under src/test/resources, reviewed like code. Run with
 * {@code -Dgolden.update=true} to rewrite them after an intended change, then read the diff before committing.
 */
public final class Golden {

    private static final Path ROOT = Path.of("src/test/resources");

    private Golden() {
    }

    public static void assertMatches(String actual, String goldenPath) {
        Path file = ROOT.resolve(goldenPath);
        try {
            if (Boolean.getBoolean("golden.update")) {
                Files.createDirectories(file.getParent());
                Files.writeString(file, actual);
            }
            assertThat(file).as("golden file %s (rewrite with -Dgolden.update=true)", file).exists();
            assertThat(actual).as("objects rendered for %s", goldenPath).isEqualTo(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A file under src/test/resources. */
    public static String read(String resourcePath) {
        try {
            return Files.readString(ROOT.resolve(resourcePath));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
