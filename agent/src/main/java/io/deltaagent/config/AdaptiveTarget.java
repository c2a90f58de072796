package io.deltaagent.config;

/**
 * The target file size that grows with the table (adaptive-target-file-size), as engines with an adaptive target do:
 * 128 MiB below 10 GiB, doubling at each tenfold growth, 1 GiB from 1 TiB. Steps rather than a curve, so that which
 * files are small (half the target) can be counted for every step in one pass, before the table's size is known.
 */
public final class AdaptiveTarget {

    private static final long MIB = 1L << 20;
    private static final long GIB = 1L << 30;

    /** The targets, smallest first, and the table size from which each applies. */
    static final long[] TARGETS = {128 * MIB, 256 * MIB, 512 * MIB, 1024 * MIB};
    static final long[] FROM_TABLE_BYTES = {0, 10 * GIB, 100 * GIB, 1024 * GIB};

    private AdaptiveTarget() {
    }

    public static long forTableBytes(long tableBytes) {
        return TARGETS[step(tableBytes)];
    }

    /** The targets, smallest first. */
    public static long[] targets() {
        return TARGETS.clone();
    }

    /** The table size from which each of {@link #targets()} applies, ascending from 0. */
    public static long[] fromTableBytes() {
        return FROM_TABLE_BYTES.clone();
    }

    /** The index into {@link #TARGETS} for a table of {@code tableBytes}. */
    static int step(long tableBytes) {
        int step = 0;
        while (step + 1 < FROM_TABLE_BYTES.length && tableBytes >= FROM_TABLE_BYTES[step + 1]) {
            step++;
        }
        return step;
    }
}
