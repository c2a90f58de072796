package io.deltaagent.policy;

import io.deltaagent.config.MaintenanceWindow;
import io.deltaagent.config.TableSettings;

/** The maintenance a breach calls for. */
public enum MaintenanceAction {
    /** Bin-packing compaction of small files. */
    OPTIMIZE,
    /** Compaction that also clusters rows by the configured columns. */
    OPTIMIZE_ZORDER,
    /** A fresh checkpoint plus cleanup of expired log files and stale checkpoints. */
    CHECKPOINT,
    /** Deletion of data files removed from the table longer ago than the retention. */
    VACUUM;

    /**
     * The window in which the daemon may start this action on a table with {@code settings}. The policy decides which
     * configured window governs which action; the config only holds the windows.
     */
    public MaintenanceWindow windowIn(TableSettings settings) {
        return switch (this) {
            case OPTIMIZE, OPTIMIZE_ZORDER -> settings.optimizeWindow();
            case CHECKPOINT -> settings.checkpointWindow();
            case VACUUM -> settings.vacuumWindow();
        };
    }
}
