package io.slmfleet.curation;

/**
 * A set of 64-bit hashes in one open-addressing array: 8 to 16 bytes per entry, no object per entry, so a million
 * distinct records cost 16 MiB at most. Zero is stored as a flag, since empty slots hold zero.
 */
final class LongHashSet {

    private long[] slots = new long[1 << 12];
    private int size;
    private boolean containsZero;

    /** Adds the value; returns false when it was already there. */
    boolean add(long value) {
        if (value == 0) {
            boolean added = !containsZero;
            containsZero = true;
            return added;
        }
        int mask = slots.length - 1;
        int index = (int) Hashing.mix(value) & mask;
        while (slots[index] != 0) {
            if (slots[index] == value) {
                return false;
            }
            index = (index + 1) & mask;
        }
        slots[index] = value;
        if (++size * 2 > slots.length) {
            grow();
        }
        return true;
    }

    boolean contains(long value) {
        if (value == 0) {
            return containsZero;
        }
        int mask = slots.length - 1;
        int index = (int) Hashing.mix(value) & mask;
        while (slots[index] != 0) {
            if (slots[index] == value) {
                return true;
            }
            index = (index + 1) & mask;
        }
        return false;
    }

    private void grow() {
        long[] old = slots;
        slots = new long[old.length * 2];
        int mask = slots.length - 1;
        for (long value : old) {
            if (value != 0) {
                int index = (int) Hashing.mix(value) & mask;
                while (slots[index] != 0) {
                    index = (index + 1) & mask;
                }
                slots[index] = value;
            }
        }
    }

}
