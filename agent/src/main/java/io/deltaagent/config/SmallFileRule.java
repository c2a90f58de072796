package io.deltaagent.config;

import java.util.Arrays;

/**
 * Which data files are small: those below a threshold. A fixed threshold is known before the files are read; with an
 * adaptive target it depends on the table's total size, so the rule lists every candidate threshold (ascending) and
 * picks one once the total is known. Counting for each candidate costs a few counters per partition, not per file.
 */
public final class SmallFileRule {

    private final long[] thresholds;
    private final boolean adaptive;

    private SmallFileRule(long[] thresholds, boolean adaptive) {
        this.thresholds = thresholds;
        this.adaptive = adaptive;
    }

    public static SmallFileRule fixed(long thresholdBytes) {
        if (thresholdBytes < 1) {
            throw new IllegalArgumentException("a small-file threshold must be at least 1 byte, got " + thresholdBytes);
        }
        return new SmallFileRule(new long[] {thresholdBytes}, false);
    }

    /** Half of {@link AdaptiveTarget}'s target for the table's size. */
    public static SmallFileRule halfOfAdaptiveTarget() {
        return new SmallFileRule(Arrays.stream(AdaptiveTarget.TARGETS).map(t -> t / 2).toArray(), true);
    }

    /** The candidate thresholds, ascending; one for a fixed rule. */
    public long[] thresholds() {
        return thresholds.clone();
    }

    /** The index of the threshold in force for a table of {@code tableBytes}. */
    public int choose(long tableBytes) {
        return adaptive ? AdaptiveTarget.step(tableBytes) : 0;
    }
}
