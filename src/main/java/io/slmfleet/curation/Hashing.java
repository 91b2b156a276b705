package io.slmfleet.curation;

/**
 * 64-bit hashes for deduplication, MinHash, fingerprints and the split. At a million distinct records the chance that
 * two of them share a 64-bit hash is about 3 in 100 million, so hash sets stand in for the strings at 8 bytes each.
 */
final class Hashing {

    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;

    private Hashing() {
    }

    /** FNV-1a over the UTF-16 characters, finished with {@link #mix} so that nearby inputs land far apart. */
    static long hash(CharSequence text) {
        long hash = FNV_OFFSET;
        for (int i = 0; i < text.length(); i++) {
            hash = (hash ^ text.charAt(i)) * FNV_PRIME;
        }
        return mix(hash);
    }

    /** The SplitMix64 finalizer: a bijection on 64 bits whose output bits each depend on all input bits. */
    static long mix(long value) {
        long z = value;
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    /** A number in [0, 1) that depends only on the seed and the key, uniformly spread. */
    static double uniform(long seed, long key) {
        return (mix(mix(seed) ^ key) >>> 11) * 0x1.0p-53;
    }

    static String hex12(long hash) {
        return String.format("%016x", hash).substring(0, 12);
    }
}
