package io.deltaagent.deltalog;

import io.deltaagent.health.SmallFileRule;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * What a read counts against, as plain numbers: the readers measure, they do not apply the config. The two figures that
 * depend on the table's own properties (known only once its metadata is read) come from {@link TableRules}, which the
 * caller derives from its settings. Two reads with equal thresholds measure alike (an incremental re-audit relies on it).
 *
 * @param library which library builds the snapshot
 * @param historyDepth how many recent commits the writer activity covers
 * @param minSmallFiles small files from which a partition counts as breaching
 * @param worstPartitions how many partitions the worst-partitions list keeps
 */
public record ReadThresholds(Library library, int historyDepth, int minSmallFiles, int worstPartitions, TableRules rules) {

    public ReadThresholds {
        Objects.requireNonNull(library, "library");
        Objects.requireNonNull(rules, "rules");
    }

    /** Which library builds snapshots: {@code AUTO} picks the projected reader where it can read the table, Kernel otherwise. */
    public enum Library { AUTO, STANDALONE, KERNEL, PROJECTED }

    /** The thresholds that depend on a table's properties ({@code delta.targetFileSize}, its deleted-file retention). */
    public interface TableRules {

        SmallFileRule smallFiles(Map<String, String> tableProperties);

        Retention vacuumRetention(Map<String, String> tableProperties);
    }

    /**
     * The age from which removed files are VACUUM's to delete.
     *
     * @param shown as the config writes it, for the figures ("7d")
     */
    public record Retention(Duration age, String shown) {
    }

    /** These thresholds with another library. */
    public ReadThresholds withLibrary(Library other) {
        return new ReadThresholds(other, historyDepth, minSmallFiles, worstPartitions, rules);
    }
}
