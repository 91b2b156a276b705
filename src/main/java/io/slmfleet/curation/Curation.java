package io.slmfleet.curation;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

import io.slmfleet.curation.CurationFailure.Reason;

/**
 * The curation engine: reads router usage files once, as a stream, and writes a chat-format data set (train,
 * validation, eval) and its manifest. The {@code curate} command and the CurationJob's pod are thin shells around it.
 * <p>
 * Lines are cut from the files by one thread and examined ({@link UsageRecord}: parse, select, filter, build and redact
 * the example) in chunks on a pool of one thread per core; the results come back in input order to one sequential
 * stage that deduplicates, counts, clusters and spills kept examples to a temporary file. Only hash sets and bounded
 * per-stratum heaps grow with the input (about 16 bytes per distinct record, plus 8 per LSH band with near dedup), so
 * memory stays flat whatever the input's size. A second pass over the spill file writes the three sets
 * ({@link StratifiedSplit}). Everything is written under temporary names and renamed at the end, the manifest last:
 * a failed run leaves no data set, and a retry is not refused as {@link Reason#OutputExists}.
 */
public final class Curation {

    public static final String TRAIN = "train.jsonl";
    public static final String VALIDATION = "validation.jsonl";
    public static final String EVAL = "eval.jsonl";
    public static final String MANIFEST = "manifest.json";
    static final List<String> DATA_SET_FILES = List.of(TRAIN, VALIDATION, EVAL, MANIFEST);

    private static final String SPILL = ".curate-kept.tmp";
    private static final int CHUNK_LINES = 2048;
    private static final int CHUNK_BYTES = 4 << 20;
    /** Told how far the reading got, after every chunk of lines ({@value #CHUNK_LINES} or fewer). */
    public interface Progress {
        void update(long linesRead, long bytesRead);
    }

    private final CurationOptions options;
    private final Progress progress;
    private final UsageRecord examiner;
    private final NearDuplicates nearDuplicates;
    private final LongHashSet seenUserTurns = new LongHashSet();
    private final RecordCounts counts = new RecordCounts();
    private final TaskClusters clusters = new TaskClusters();
    private final StratifiedSplit split;
    private final List<InputFile> inputs = new ArrayList<>();
    private DataOutputStream spill;
    private long linesRead;
    private long bytesRead;

    private Curation(CurationOptions options, Progress progress) {
        this.options = options;
        this.progress = progress;
        this.nearDuplicates = options.dedup() == CurationOptions.Dedup.near
                ? NearDuplicates.forThreshold(options.nearThreshold())
                : null;
        this.examiner = new UsageRecord(options, nearDuplicates);
        this.split = new StratifiedSplit(options.evalSize(), options.validationRatio(), options.seed());
    }

    /**
     * Curates; on failure nothing is left in the output directory but what was there before.
     *
     * @throws CurationFailure when no data set can be written; {@link Reason#retryable} tells whether trying again helps
     * @throws IOException when the output cannot be written (worth retrying)
     */
    public static CurationResult run(CurationOptions options, Progress progress) throws CurationFailure, IOException {
        String problem = options.problem();
        if (problem != null) {
            throw new CurationFailure(Reason.InvalidArguments, problem, null);
        }
        List<Path> files = inputFiles(options.inputs());
        for (String name : DATA_SET_FILES) {
            if (Files.exists(options.output().resolve(name))) {
                throw new CurationFailure(Reason.OutputExists, options.output() + " already holds a data set ("
                        + name + "); choose another output directory, it is never overwritten", null);
            }
        }
        Files.createDirectories(options.output());
        return new Curation(options, progress).curate(files);
    }

    private CurationResult curate(List<Path> files) throws CurationFailure, IOException {
        Path spillFile = options.output().resolve(SPILL);
        try {
            try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(spillFile),
                    1 << 16))) {
                spill = out;
                readAll(files);
            }
            checkEnough();
            return write(spillFile);
        } finally {
            Files.deleteIfExists(spillFile);
            for (String name : DATA_SET_FILES) {
                Files.deleteIfExists(partial(name));
            }
        }
    }

    private void readAll(List<Path> files) throws IOException {
        int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
        ExecutorService workers = Executors.newFixedThreadPool(threads, runnable -> {
            Thread thread = new Thread(runnable, "slmfleet-curate");
            thread.setDaemon(true);
            return thread;
        });
        ArrayDeque<Future<List<UsageRecord.Examined>>> inFlight = new ArrayDeque<>();
        try {
            for (Path file : files) {
                readFile(file, workers, inFlight, 2 * threads);
            }
            while (!inFlight.isEmpty()) {
                consume(inFlight.poll());
            }
        } finally {
            workers.shutdownNow();
        }
    }

    private void readFile(Path file, ExecutorService workers, ArrayDeque<Future<List<UsageRecord.Examined>>> inFlight,
            int maxInFlight) throws IOException {
        long lines = 0;
        String problem = null;
        List<byte[]> chunk = new ArrayList<>(CHUNK_LINES);
        int chunkBytes = 0;
        long before = bytesRead;
        LineReader reader = null;
        long size = 0;
        try (InputStream in = open(file)) {
            size = Files.size(file);
            reader = new LineReader(in);
            for (byte[] line = reader.next(); line != null; line = reader.next()) {
                if (isBlank(line)) {
                    continue;
                }
                lines++;
                chunk.add(line);
                chunkBytes += line.length;
                if (chunk.size() == CHUNK_LINES || chunkBytes >= CHUNK_BYTES) {
                    submit(chunk, workers, inFlight, maxInFlight);
                    chunk = new ArrayList<>(CHUNK_LINES);
                    chunkBytes = 0;
                    progress.update(linesRead + lines, before + reader.bytesConsumed());
                }
            }
        } catch (EOFException e) {
            problem = "truncated: " + e.getMessage();
        } catch (IOException e) {
            problem = "unreadable: " + e;
        }
        submit(chunk, workers, inFlight, maxInFlight);
        linesRead += lines;
        bytesRead = before + (reader == null ? 0 : reader.bytesConsumed());
        inputs.add(new InputFile(file.toString(), size, lines, problem));
    }

    private void submit(List<byte[]> chunk, ExecutorService workers,
            ArrayDeque<Future<List<UsageRecord.Examined>>> inFlight, int maxInFlight) throws IOException {
        if (chunk.isEmpty()) {
            return;
        }
        inFlight.add(workers.submit(() -> {
            List<UsageRecord.Examined> examined = new ArrayList<>(chunk.size());
            for (byte[] line : chunk) {
                examined.add(line == LineReader.OVERLONG ? new UsageRecord.Examined(DropReason.malformed, null)
                        : examiner.examine(line));
            }
            return examined;
        }));
        while (inFlight.size() > maxInFlight) {
            consume(inFlight.poll());
        }
    }

    /** The sequential stage, in input order: dedup, count, cluster, spill. */
    private void consume(Future<List<UsageRecord.Examined>> chunk) throws IOException {
        List<UsageRecord.Examined> examined;
        try {
            examined = chunk.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while curating", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("examining a record failed", e.getCause());
        }
        for (UsageRecord.Examined record : examined) {
            counts.countRead();
            UsageRecord.Candidate candidate = record.candidate();
            if (record.dropped() != null) {
                counts.countDropped(record.dropped());
                if (record.dropped() == DropReason.notTeacher) {
                    clusters.add(candidate.cluster());
                }
                continue;
            }
            if (isDuplicate(candidate)) {
                counts.countDropped(DropReason.duplicate);
                continue;
            }
            counts.countKept();
            clusters.add(candidate.cluster());
            StratifiedSplit.Ticket ticket = split.add(candidate.stratum(), candidate.userKey());
            spill.writeInt(ticket.stratum());
            spill.writeDouble(ticket.rank().uniform());
            spill.writeLong(ticket.rank().position());
            spill.writeInt(candidate.example().length);
            spill.write(candidate.example());
        }
    }

    private boolean isDuplicate(UsageRecord.Candidate candidate) {
        if (options.dedup() == CurationOptions.Dedup.none) {
            return false;
        }
        if (!seenUserTurns.add(candidate.userKey())) {
            return true;
        }
        return nearDuplicates != null && nearDuplicates.seenBefore(candidate.bandKeys());
    }

    private void checkEnough() throws CurationFailure {
        if (counts.read() == 0 && !inputs.isEmpty() && inputs.stream().allMatch(input -> input.problem() != null)) {
            throw new CurationFailure(Reason.InputUnreadable, "no input file could be read: "
                    + inputs.get(0).path() + ": " + inputs.get(0).problem(), counts);
        }
        if (counts.kept() == 0) {
            throw new CurationFailure(Reason.NoRecords, "no record was left to curate: " + counts.read()
                    + " read from " + inputs.size() + " files, all dropped or none selected", counts);
        }
        if (counts.kept() <= options.evalSize()) {
            throw new CurationFailure(Reason.TooFewRecords, counts.kept() + " records were kept, but the eval set needs "
                    + options.evalSize() + " and training at least one more", counts);
        }
    }

    private CurationResult write(Path spillFile) throws IOException {
        StratifiedSplit.Plan plan = split.plan();
        Map<StratifiedSplit.Set, CountingDigest> sets = new EnumMap<>(StratifiedSplit.Set.class);
        Map<StratifiedSplit.Set, String> names = Map.of(StratifiedSplit.Set.train, TRAIN,
                StratifiedSplit.Set.validation, VALIDATION, StratifiedSplit.Set.eval, EVAL);
        try {
            for (StratifiedSplit.Set set : StratifiedSplit.Set.values()) {
                sets.put(set, new CountingDigest(names.get(set), partial(names.get(set))));
            }
            try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(spillFile),
                    1 << 16))) {
                for (long i = 0; i < split.size(); i++) {
                    int stratum = in.readInt();
                    double uniform = in.readDouble();
                    long position = in.readLong();
                    byte[] example = in.readNBytes(in.readInt());
                    StratifiedSplit.Set set = plan.assign(new StratifiedSplit.Ticket(stratum,
                            new StratifiedSplit.Rank(uniform, position)));
                    sets.get(set).writeLine(example);
                }
            }
        } finally {
            for (CountingDigest file : sets.values()) {
                file.close();
            }
        }
        List<OutputFile> files = new ArrayList<>();
        for (StratifiedSplit.Set set : StratifiedSplit.Set.values()) {
            files.add(sets.get(set).describe());
        }
        List<TaskCluster> taskClusters = clusters.largestFirst();
        byte[] manifest = Manifest.json(options, nearDuplicates, inputs, counts, files, plan.countsByStratum(),
                taskClusters, clusters.untracked());
        Files.write(partial(MANIFEST), manifest);
        for (String name : List.of(TRAIN, VALIDATION, EVAL, MANIFEST)) {
            Files.move(partial(name), options.output().resolve(name), StandardCopyOption.ATOMIC_MOVE);
        }
        files.add(new OutputFile(MANIFEST, 0, manifest.length, sha256(manifest)));
        return new CurationResult(List.copyOf(inputs), counts, files, plan.countsByStratum(), taskClusters,
                clusters.untracked());
    }

    private Path partial(String name) {
        return options.output().resolve("." + name + ".partial");
    }

    /** A data file being written: counts its lines and bytes and hashes them on the way. */
    private static final class CountingDigest implements AutoCloseable {
        private final String name;
        private final MessageDigest digest = sha256();
        private final OutputStream out;
        private long lines;
        private long bytes;

        CountingDigest(String name, Path file) throws IOException {
            this.name = name;
            this.out = new BufferedOutputStream(new DigestOutputStream(Files.newOutputStream(file,
                    StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE),
                    digest), 1 << 16);
        }

        void writeLine(byte[] line) throws IOException {
            out.write(line);
            out.write('\n');
            lines++;
            bytes += line.length + 1;
        }

        OutputFile describe() {
            return new OutputFile(name, lines, bytes, HexFormat.of().formatHex(digest.digest()));
        }

        @Override
        public void close() throws IOException {
            out.close();
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(sha256().digest(bytes));
    }

    /** Files named {@code usage-*.jsonl} or {@code usage-*.jsonl.gz} under directories (recursively), and files given. */
    static List<Path> inputFiles(List<Path> inputs) throws CurationFailure {
        List<Path> files = new ArrayList<>();
        for (Path input : inputs) {
            if (!Files.exists(input)) {
                throw new CurationFailure(Reason.InputUnreadable, "input " + input + " does not exist", null);
            }
            if (!Files.isDirectory(input)) {
                files.add(input);
                continue;
            }
            try (Stream<Path> found = Files.walk(input)) {
                found.filter(Files::isRegularFile)
                        .filter(file -> file.getFileName().toString().matches("usage-.*\\.jsonl(\\.gz)?"))
                        .sorted()
                        .forEach(files::add);
            } catch (IOException | UncheckedIOException e) {
                throw new CurationFailure(Reason.InputUnreadable, "cannot list input " + input + ": " + e.getMessage(),
                        null);
            }
        }
        return files;
    }

    /** Gzip is recognised by its magic bytes, whatever the name. */
    private static InputStream open(Path file) throws IOException {
        BufferedInputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        in.mark(2);
        int first = in.read();
        int second = in.read();
        in.reset();
        if (first == 0x1f && second == 0x8b) {
            return new GZIPInputStream(in, 1 << 16);
        }
        return in;
    }

    private static boolean isBlank(byte[] line) {
        for (byte b : line) {
            if (b != ' ' && b != '\t') {
                return false;
            }
        }
        return true;
    }
}
