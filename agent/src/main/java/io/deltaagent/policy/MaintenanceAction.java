package io.deltaagent.policy;

/** The maintenance a breach calls for. */
public enum MaintenanceAction {
    /** Bin-packing compaction of small files. */
    OPTIMIZE,
    /** Compaction that also clusters rows by the configured columns. */
    OPTIMIZE_ZORDER,
    /** A fresh checkpoint plus cleanup of expired log files and stale checkpoints. */
    CHECKPOINT,
    /** Deletion of data files removed from the table longer ago than the retention. */
    VACUUM
}
