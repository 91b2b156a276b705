package io.slmfleet.router.capture;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.slmfleet.pii.PiiRedactor;

/**
 * Writes sampled usage records as JSON Lines, off the request path: requests offer records to a bounded queue and
 * never wait (a full queue drops the record and counts it); one writer thread redacts, appends and rotates files by
 * size. A file is named after the pod and the time it was started, so replicas sharing a volume never write the same
 * file. Write failures are counted and logged, never passed back to a request.
 */
public final class UsageCapture implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(UsageCapture.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final DateTimeFormatter FILE_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'")
            .withZone(ZoneOffset.UTC);
    private static final byte[] NEWLINE = { '\n' };

    /** What happened to offered records; the metrics count these. */
    public interface Listener {
        void written(int records);

        void dropped();

        void failed(int records);
    }

    private final BlockingQueue<CaptureRecord> queue;
    private final long maxFileSize;
    private final String writerName;
    private final Clock clock;
    private final Listener listener;
    private final Thread writer;
    private volatile boolean closed;

    private Path currentDirectory;
    private Path currentFile;
    private OutputStream out;
    private long currentSize;
    private int sequence;
    private String lastFailure;

    /**
     * @param writerName identifies this process in file names (the pod's host name)
     */
    public UsageCapture(int queueSize, long maxFileSize, String writerName, Clock clock, Listener listener) {
        this.queue = new ArrayBlockingQueue<>(queueSize);
        this.maxFileSize = maxFileSize;
        this.writerName = writerName.replaceAll("[^A-Za-z0-9._-]", "_");
        this.clock = clock;
        this.listener = listener;
        this.writer = new Thread(this::run, "slmfleet-usage-capture");
        this.writer.setDaemon(true);
        this.writer.start();
    }

    /** Never blocks: a record that does not fit is dropped and counted. */
    public void offer(CaptureRecord record) {
        if (closed || !queue.offer(record)) {
            listener.dropped();
        }
    }

    private void run() {
        List<CaptureRecord> batch = new ArrayList<>();
        while (!closed || !queue.isEmpty()) {
            try {
                CaptureRecord first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, 999);
                write(batch);
            } catch (InterruptedException e) {
                closed = true;
            } finally {
                batch.clear();
            }
        }
        closeFile();
    }

    private void write(List<CaptureRecord> batch) {
        int written = 0;
        int failed = 0;
        for (CaptureRecord record : batch) {
            try {
                byte[] line = serialize(record);
                ensureFile(record.directory(), line.length);
                out.write(line);
                out.write(NEWLINE);
                currentSize += line.length + 1;
                written++;
            } catch (IOException | RuntimeException e) {
                failed++;
                closeFile();
                reportFailure(record.directory(), e);
            }
        }
        try {
            if (out != null) {
                out.flush();
            }
        } catch (IOException e) {
            failed += written;
            written = 0;
            closeFile();
            reportFailure(currentDirectory, e);
        }
        if (written > 0) {
            listener.written(written);
            lastFailure = null;
        }
        if (failed > 0) {
            listener.failed(failed);
        }
    }

    private static byte[] serialize(CaptureRecord record) throws IOException {
        if (record.redact()) {
            PiiRedactor.redact(record.record());
        }
        return MAPPER.writeValueAsBytes(record.record());
    }

    private void ensureFile(Path directory, int nextLine) throws IOException {
        boolean full = currentSize > 0 && currentSize + nextLine + 1 > maxFileSize;
        if (out != null && directory.equals(currentDirectory) && !full) {
            return;
        }
        closeFile();
        Files.createDirectories(directory);
        String name = "usage-" + writerName + "-" + FILE_TIME.format(clock.instant()) + "-" + (sequence++) + ".jsonl";
        currentDirectory = directory;
        currentFile = directory.resolve(name);
        out = Files.newOutputStream(currentFile, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        currentSize = 0;
    }

    private void closeFile() {
        if (out == null) {
            return;
        }
        try {
            out.close();
        } catch (IOException e) {
            reportFailure(currentDirectory, e);
        }
        out = null;
        currentFile = null;
        currentDirectory = null;
    }

    private void reportFailure(Path directory, Exception e) {
        String message = "Cannot write usage records to " + directory + ": " + e;
        if (!message.equals(lastFailure)) {
            LOG.error(message);
            lastFailure = message;
        }
    }

    /** Writes what is queued, then stops. */
    @Override
    public void close() {
        closed = true;
        try {
            writer.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
