package io.deltaagent.health;

import java.util.Arrays;

/**
 * Which data files are small: those below a threshold. A fixed threshold is known before the files are read; with a
 * target that grows with the table it depends on the table's total size, so the rule lists every candidate threshold
 * (ascending) with the table size from which each applies, and picks one once the total is known. Counting for each
 * candidate costs a few counters per partition, not per file. Plain numbers: what the thresholds are is the config's
 * business, counting against them the reader's.
 */
public final class SmallFileRule {

    private final long[] thresholds;
    private final long[] fromTableBytes;

    private SmallFileRule(long[] thresholds, long[] fromTableBytes) {
        this.thresholds = thresholds;
        this.fromTableBytes = fromTableBytes;
    }

    public static SmallFileRule fixed(long thresholdBytes) {
        if (thresholdBytes < 1) {
            throw new IllegalArgumentException("a small-file threshold must be at least 1 byte, got " + thresholdBytes);
        }
        return new SmallFileRule(new long[] {thresholdBytes}, new long[] {0});
    }

    /**
     * A threshold per step of the table's size: {@code thresholds[i]} applies from {@code fromTableBytes[i]} bytes on.
     *
     * @param thresholds ascending, each at least 1 byte
     * @param fromTableBytes ascending, starting at 0, as many as thresholds
     */
    public static SmallFileRule steps(long[] thresholds, long[] fromTableBytes) {
        if (thresholds.length == 0 || thresholds.length != fromTableBytes.length || fromTableBytes[0] != 0) {
            throw new IllegalArgumentException("small-file steps need one threshold per table size, the first from 0 bytes: "
                    + Arrays.toString(thresholds) + " from " + Arrays.toString(fromTableBytes));
        }
        for (int i = 0; i < thresholds.length; i++) {
            if (thresholds[i] < 1 || i > 0 && (thresholds[i] < thresholds[i - 1] || fromTableBytes[i] <= fromTableBytes[i - 1])) {
                throw new IllegalArgumentException("small-file steps must ascend, thresholds from 1 byte: "
                        + Arrays.toString(thresholds) + " from " + Arrays.toString(fromTableBytes));
            }
        }
        return new SmallFileRule(thresholds.clone(), fromTableBytes.clone());
    }

    /** The candidate thresholds, ascending; one for a fixed rule. */
    public long[] thresholds() {
        return thresholds.clone();
    }

    /** The index of the threshold in force for a table of {@code tableBytes}. */
    public int choose(long tableBytes) {
        int step = 0;
        while (step + 1 < fromTableBytes.length && tableBytes >= fromTableBytes[step + 1]) {
            step++;
        }
        return step;
    }
}
