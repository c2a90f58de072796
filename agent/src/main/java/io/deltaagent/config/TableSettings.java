package io.deltaagent.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The settings in force for one table, resolved from built-in defaults, the config's {@code defaults:},
 * and the table's own entry.
 *
 * @param targetFileSizeFromTableEntry true when the table's config entry sets target-file-size, which then
 *                                     wins over the table's {@code delta.targetFileSize}
 */
public record TableSettings(
        ByteSize targetFileSize,
        boolean targetFileSizeFromTableEntry,
        ByteSize smallFileSize,
        int minSmallFiles,
        int maxCommitsSinceCheckpoint,
        int maxLogObjects,
        Duration maxLogReadLatency,
        List<String> zorderBy,
        boolean vacuumEnabled,
        Duration vacuumRetention,
        int vacuumMinTombstones,
        int historyDepth,
        int worstPartitions,
        ReaderChoice reader,
        double maxDeletionVectorFileShare,
        Duration hotPartitionWindow,
        Duration cooldown,
        String backend,
        String auditSchedule,
        MaintenanceWindow optimizeWindow,
        MaintenanceWindow checkpointWindow,
        MaintenanceWindow vacuumWindow) {

    public static final String TABLE_TARGET_FILE_SIZE = "delta.targetFileSize";

    public TableSettings {
        Objects.requireNonNull(targetFileSize, "targetFileSize");
        zorderBy = List.copyOf(zorderBy);
    }

    public static TableSettings defaults() {
        return from(OptionValues.builtIn(), false);
    }

    public static TableSettings from(OptionValues values, boolean tableEntrySetsTarget) {
        return new TableSettings(
                values.get(TableOptions.TARGET_FILE_SIZE),
                tableEntrySetsTarget,
                values.get(TableOptions.SMALL_FILE_SIZE),
                values.get(TableOptions.MIN_SMALL_FILES),
                values.get(TableOptions.MAX_COMMITS_SINCE_CHECKPOINT),
                values.get(TableOptions.MAX_LOG_OBJECTS),
                values.get(TableOptions.MAX_LOG_READ_LATENCY),
                values.get(TableOptions.ZORDER_BY),
                values.get(TableOptions.VACUUM_ENABLED),
                values.get(TableOptions.VACUUM_RETENTION),
                values.get(TableOptions.VACUUM_MIN_TOMBSTONES),
                values.get(TableOptions.HISTORY_DEPTH),
                values.get(TableOptions.WORST_PARTITIONS),
                values.get(TableOptions.READER),
                values.get(TableOptions.MAX_DELETION_VECTOR_FILE_SHARE),
                values.get(TableOptions.HOT_PARTITION_WINDOW),
                values.get(TableOptions.COOLDOWN),
                values.get(TableOptions.BACKEND),
                values.get(TableOptions.AUDIT_SCHEDULE),
                values.get(TableOptions.OPTIMIZE_WINDOW),
                values.get(TableOptions.CHECKPOINT_WINDOW),
                values.get(TableOptions.VACUUM_WINDOW));
    }

    /** These settings with another reader (the CLI's --reader wins over the config). */
    public TableSettings withReader(ReaderChoice choice) {
        return new TableSettings(targetFileSize, targetFileSizeFromTableEntry, smallFileSize, minSmallFiles,
                maxCommitsSinceCheckpoint, maxLogObjects, maxLogReadLatency, zorderBy, vacuumEnabled, vacuumRetention,
                vacuumMinTombstones, historyDepth, worstPartitions, choice, maxDeletionVectorFileShare, hotPartitionWindow, cooldown,
                backend, auditSchedule, optimizeWindow, checkpointWindow, vacuumWindow);
    }

    /** These settings with another job backend (the CLI's --backend wins over the config). */
    public TableSettings withBackend(String name) {
        return new TableSettings(targetFileSize, targetFileSizeFromTableEntry, smallFileSize, minSmallFiles,
                maxCommitsSinceCheckpoint, maxLogObjects, maxLogReadLatency, zorderBy, vacuumEnabled, vacuumRetention,
                vacuumMinTombstones, historyDepth, worstPartitions, reader, maxDeletionVectorFileShare, hotPartitionWindow, cooldown,
                name, auditSchedule, optimizeWindow, checkpointWindow, vacuumWindow);
    }

    /** The window in which the daemon may start {@code action} on this table. */
    public MaintenanceWindow windowFor(io.deltaagent.policy.MaintenanceAction action) {
        return switch (action) {
            case OPTIMIZE, OPTIMIZE_ZORDER -> optimizeWindow;
            case CHECKPOINT -> checkpointWindow;
            case VACUUM -> vacuumWindow;
        };
    }

    /** The target in force given the table's properties: table entry, then delta.targetFileSize, then defaults. */
    public long effectiveTargetFileBytes(Map<String, String> tableProperties) {
        if (!targetFileSizeFromTableEntry) {
            String fromTable = tableProperties.get(TABLE_TARGET_FILE_SIZE);
            if (fromTable != null) {
                try {
                    return ByteSize.parse(fromTable).bytes();
                } catch (IllegalArgumentException e) {
                    // an unparseable table property is ignored, as Delta's writers fall back to their default
                }
            }
        }
        return targetFileSize.bytes();
    }

    /** Files below this many bytes are small: small-file-size when set, else half of the effective target. */
    public long effectiveSmallFileBytes(Map<String, String> tableProperties) {
        return smallFileSize != null ? smallFileSize.bytes() : effectiveTargetFileBytes(tableProperties) / 2;
    }
}
