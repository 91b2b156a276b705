package io.slmfleet.curation;

import java.util.EnumMap;
import java.util.Map;

/** How many records were read, kept, and dropped for each reason. */
public final class RecordCounts {

    private long read;
    private long kept;
    private final EnumMap<DropReason, Long> dropped = new EnumMap<>(DropReason.class);

    void countRead() {
        read++;
    }

    void countKept() {
        kept++;
    }

    void countDropped(DropReason reason) {
        dropped.merge(reason, 1L, Long::sum);
    }

    public long read() {
        return read;
    }

    public long kept() {
        return kept;
    }

    /** Only the reasons that dropped at least one record, in the order the checks run. */
    public Map<DropReason, Long> dropped() {
        return new EnumMap<>(dropped);
    }

    public long dropped(DropReason reason) {
        return dropped.getOrDefault(reason, 0L);
    }
}
