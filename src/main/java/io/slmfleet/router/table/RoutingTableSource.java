package io.slmfleet.router.table;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

import org.jboss.logging.Logger;

import io.slmfleet.routing.RoutingTableCodec;

/**
 * The routing table the router serves, reloaded when the mounted file's content changes. A table that cannot be read
 * or served leaves the last good one in place and is reported ({@link #problem()}) until a good one replaces it.
 */
public final class RoutingTableSource {

    private static final Logger LOG = Logger.getLogger(RoutingTableSource.class);

    private final WatchedFile file;
    private final UnaryOperator<String> secrets;
    private final Consumer<Boolean> onReload;
    private volatile ActiveTable current;
    private volatile String problem;

    /**
     * @param secrets reads the fallback key's variable by name
     * @param onReload told of every new content: true when it was loaded, false when it was rejected
     */
    public RoutingTableSource(Path path, UnaryOperator<String> secrets, Consumer<Boolean> onReload) {
        this.file = new WatchedFile(path);
        this.secrets = secrets;
        this.onReload = onReload;
        this.problem = "no routing table read yet from " + path;
    }

    /** @return the table to serve, or null until a valid one was loaded */
    public ActiveTable current() {
        return current;
    }

    /** @return why the file's current content is not served, or null when it is */
    public String problem() {
        return problem;
    }

    /** Reads the file and swaps the table in when its content changed; called by one thread at a time. */
    public synchronized void reloadIfChanged() {
        WatchedFile.Content content;
        try {
            content = file.readIfChanged();
        } catch (NoSuchFileException e) {
            report("routing table file " + file.path() + " does not exist");
            file.forget();
            return;
        } catch (IOException e) {
            report("cannot read routing table file " + file.path() + ": " + e);
            file.forget();
            return;
        }
        if (content == null) {
            return;
        }
        try {
            String json = new String(content.bytes(), StandardCharsets.UTF_8);
            ActiveTable table = ActiveTable.compile(RoutingTableCodec.fromJson(json), content.hash(), secrets);
            current = table;
            problem = null;
            LOG.infof("Serving routing table %s of %s (%d routes%s)", content.hash(), table.source().route(),
                    table.routes().size(), table.fallback() == null ? ", no fallback" : ", with fallback");
            table.warnings().forEach(LOG::warn);
            onReload.accept(true);
        } catch (RuntimeException e) {
            report("routing table " + content.hash() + " rejected, " + (current == null ? "nothing to serve"
                    : "still serving " + current.hash()) + ": " + e.getMessage());
            onReload.accept(false);
        }
    }

    private void report(String message) {
        if (!message.equals(problem)) {
            LOG.error(message);
        }
        problem = message;
    }
}
