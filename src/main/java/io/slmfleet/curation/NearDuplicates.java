package io.slmfleet.curation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Near-duplicate detection with MinHash and LSH banding, in memory that grows by 8 bytes per band per kept record and
 * keeps no text.
 * <p>
 * A text's shingles are its word 3-grams (the whole text when it has fewer than three words). Its MinHash signature
 * holds, for each of {@code bands × rows} hash functions, the smallest hash of any shingle; two texts agree on one
 * signature entry with probability equal to the Jaccard similarity {@code s} of their shingle sets. The signature is
 * cut into {@code bands} bands of {@code rows} entries; a record is a near duplicate when one of its bands equals the
 * same band of a record kept earlier, which happens with probability {@code 1 - (1 - s^rows)^bands}: an S-curve that
 * rises around the threshold. {@link #forThreshold} picks the bands and rows (at most {@value #MAX_HASHES} hashes)
 * whose curve leaves the least area on the wrong side of the threshold (false positives below it plus false negatives
 * above it, as datasketch does). There is no second, exact comparison (that would keep every signature). At the
 * default 0.9 that is 5 bands of 25 rows: pairs of similarity 0.99 are caught 99.9 % of the time, 0.95: 80 %, 0.9:
 * 31 %, 0.8: 2 %.
 */
final class NearDuplicates {

    static final int MAX_HASHES = 128;
    private static final int SHINGLE_WORDS = 3;

    private final int bands;
    private final int rows;
    private final long[] hashSeeds;
    private final LongHashSet seenBands = new LongHashSet();

    private NearDuplicates(int bands, int rows) {
        this.bands = bands;
        this.rows = rows;
        this.hashSeeds = new long[bands * rows];
        for (int i = 0; i < hashSeeds.length; i++) {
            hashSeeds[i] = Hashing.mix(0x9e3779b97f4a7c15L * (i + 1));
        }
    }

    static NearDuplicates forThreshold(double threshold) {
        int[] best = bandsAndRows(threshold);
        return new NearDuplicates(best[0], best[1]);
    }

    /** {bands, rows} minimising the false-positive plus false-negative area of the S-curve around the threshold. */
    static int[] bandsAndRows(double threshold) {
        double bestError = Double.MAX_VALUE;
        int[] best = null;
        for (int bands = 1; bands <= MAX_HASHES; bands++) {
            for (int rows = 1; bands * rows <= MAX_HASHES; rows++) {
                double error = area(threshold, bands, rows, 0, threshold, false)
                        + area(threshold, bands, rows, threshold, 1, true);
                if (error < bestError) {
                    bestError = error;
                    best = new int[] { bands, rows };
                }
            }
        }
        return best;
    }

    private static double area(double threshold, int bands, int rows, double from, double to, boolean missed) {
        int steps = 200;
        double width = (to - from) / steps;
        double sum = 0;
        for (int i = 0; i < steps; i++) {
            double similarity = from + (i + 0.5) * width;
            double caught = 1 - Math.pow(1 - Math.pow(similarity, rows), bands);
            sum += (missed ? 1 - caught : caught) * width;
        }
        return sum;
    }

    int bands() {
        return bands;
    }

    int rows() {
        return rows;
    }

    /** One key per band of the text's signature; the band's index is mixed in, so one set holds all bands. */
    long[] bandKeys(String normalisedText) {
        List<Long> shingles = shingles(normalisedText);
        long[] signature = new long[hashSeeds.length];
        Arrays.fill(signature, Long.MAX_VALUE);
        for (long shingle : shingles) {
            for (int i = 0; i < signature.length; i++) {
                long hash = Hashing.mix(shingle ^ hashSeeds[i]);
                if (hash < signature[i]) {
                    signature[i] = hash;
                }
            }
        }
        long[] keys = new long[bands];
        for (int band = 0; band < bands; band++) {
            long key = Hashing.mix(band + 1L);
            for (int row = 0; row < rows; row++) {
                key = Hashing.mix(key ^ signature[band * rows + row]);
            }
            keys[band] = key;
        }
        return keys;
    }

    /** True when a band matches one seen before; otherwise remembers the bands and returns false. */
    boolean seenBefore(long[] bandKeys) {
        for (long key : bandKeys) {
            if (seenBands.contains(key)) {
                return true;
            }
        }
        for (long key : bandKeys) {
            seenBands.add(key);
        }
        return false;
    }

    private static List<Long> shingles(String text) {
        String[] words = text.isEmpty() ? new String[0] : text.split(" ");
        List<Long> shingles = new ArrayList<>(Math.max(1, words.length));
        if (words.length < SHINGLE_WORDS) {
            shingles.add(Hashing.hash(text));
            return shingles;
        }
        for (int i = 0; i + SHINGLE_WORDS <= words.length; i++) {
            long hash = 0;
            for (int j = 0; j < SHINGLE_WORDS; j++) {
                hash = Hashing.mix(hash ^ Hashing.hash(words[i + j]));
            }
            shingles.add(hash);
        }
        return shingles;
    }
}
