package io.slmfleet.curation;

/** A curation that cannot produce a data set; {@link Reason} says whether running it again can help. */
public final class CurationFailure extends Exception {

    /** The names are the {@code reason} of the summary, and of the CurationJob's condition. */
    public enum Reason {
        /** Nothing was left to curate: no input record passed the selection and filters. */
        NoRecords(false),
        /** Fewer kept records than the evaluation set and one training example need. */
        TooFewRecords(false),
        /** The output directory already holds a data set; it is never overwritten. */
        OutputExists(false),
        InvalidArguments(false),
        /** An input path is missing or cannot be read (a volume not mounted yet, an I/O error). */
        InputUnreadable(true),
        /** Reading the input or writing the data set failed half-way (a full or lost volume): a retry may succeed. */
        IOError(true),
        /** A failure the curation does not expect (a bug): not retried, the message names it. */
        Unexpected(false);

        private final boolean retryable;

        Reason(boolean retryable) {
            this.retryable = retryable;
        }

        /** Whether running the same curation again may succeed (an I/O problem), or never will (exit code 2). */
        public boolean retryable() {
            return retryable;
        }
    }

    private final Reason reason;
    private final RecordCounts records;

    /**
     * @param records the counts so far, when the input was read; null when the curation stopped before
     */
    public CurationFailure(Reason reason, String message, RecordCounts records) {
        super(message);
        this.reason = reason;
        this.records = records;
    }

    public Reason reason() {
        return reason;
    }

    /** The counts of the records read before the failure, or null when none were read. */
    public RecordCounts records() {
        return records;
    }
}
