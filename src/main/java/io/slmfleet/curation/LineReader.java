package io.slmfleet.curation;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Splits a stream into lines of bytes (no charset decoding: the JSON parser reads UTF-8 itself). A line longer than
 * {@link #MAX_LINE_BYTES} is skipped to its end and reported as {@link #OVERLONG}, so one broken file cannot take the
 * heap. A last line without a newline is returned like any other.
 */
final class LineReader {

    static final int MAX_LINE_BYTES = 16 << 20;
    /** Returned in place of a line longer than {@link #MAX_LINE_BYTES}. */
    static final byte[] OVERLONG = new byte[0];

    private final InputStream in;
    private final byte[] buffer = new byte[1 << 16];
    private int position;
    private int limit;
    private byte[] line = new byte[1 << 12];
    private long bytesConsumed;

    LineReader(InputStream in) {
        this.in = in;
    }

    /** The next line without its newline (and without a trailing carriage return), or null at the end. */
    byte[] next() throws IOException {
        int length = 0;
        boolean overlong = false;
        while (true) {
            if (position == limit) {
                limit = in.read(buffer);
                position = 0;
                if (limit <= 0) {
                    limit = 0;
                    if (length == 0 && !overlong) {
                        return null;
                    }
                    return finish(length, overlong);
                }
            }
            int newline = indexOf(buffer, position, limit);
            int end = newline < 0 ? limit : newline;
            int chunk = end - position;
            if (!overlong) {
                if (length + chunk > MAX_LINE_BYTES) {
                    overlong = true;
                } else {
                    if (length + chunk > line.length) {
                        line = Arrays.copyOf(line, Math.max(line.length * 2, length + chunk));
                    }
                    System.arraycopy(buffer, position, line, length, chunk);
                    length += chunk;
                }
            }
            bytesConsumed += chunk;
            position = end;
            if (newline >= 0) {
                position++;
                bytesConsumed++;
                return finish(length, overlong);
            }
        }
    }

    /** Bytes of the lines returned so far, newlines included. */
    long bytesConsumed() {
        return bytesConsumed;
    }

    private byte[] finish(int length, boolean overlong) {
        if (overlong) {
            return OVERLONG;
        }
        if (length > 0 && line[length - 1] == '\r') {
            length--;
        }
        return Arrays.copyOf(line, length);
    }

    private static int indexOf(byte[] bytes, int from, int to) {
        for (int i = from; i < to; i++) {
            if (bytes[i] == '\n') {
                return i;
            }
        }
        return -1;
    }
}
