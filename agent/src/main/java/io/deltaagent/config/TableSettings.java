package io.deltaagent.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;

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
        MaintenanceWindow vacuumWindow,
        boolean adaptiveTargetFileSize,
        ByteSize maxBytesPerJob,
        int maxPartitionsPerJob,
        double predictionTolerance,
        Duration auditTimeout) {

    public static final String TABLE_TARGET_FILE_SIZE = "delta.targetFileSize";
    public static final String TABLE_DELETED_FILE_RETENTION = "delta.deletedFileRetentionDuration";

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
                values.get(TableOptions.VACUUM_WINDOW),
                values.get(TableOptions.ADAPTIVE_TARGET_FILE_SIZE),
                values.get(TableOptions.MAX_BYTES_PER_JOB),
                values.get(TableOptions.MAX_PARTITIONS_PER_JOB),
                values.get(TableOptions.PREDICTION_TOLERANCE),
                values.get(TableOptions.AUDIT_TIMEOUT));
    }

    /** These settings with another reader (the CLI's --reader wins over the config). */
    public TableSettings withReader(ReaderChoice choice) {
        return new TableSettings(targetFileSize, targetFileSizeFromTableEntry, smallFileSize, minSmallFiles,
                maxCommitsSinceCheckpoint, maxLogObjects, maxLogReadLatency, zorderBy, vacuumEnabled, vacuumRetention,
                vacuumMinTombstones, historyDepth, worstPartitions, choice, maxDeletionVectorFileShare, hotPartitionWindow, cooldown,
                backend, auditSchedule, optimizeWindow, checkpointWindow, vacuumWindow, adaptiveTargetFileSize, maxBytesPerJob,
                maxPartitionsPerJob, predictionTolerance, auditTimeout);
    }

    /** These settings with another job backend (the CLI's --backend wins over the config). */
    public TableSettings withBackend(String name) {
        return new TableSettings(targetFileSize, targetFileSizeFromTableEntry, smallFileSize, minSmallFiles,
                maxCommitsSinceCheckpoint, maxLogObjects, maxLogReadLatency, zorderBy, vacuumEnabled, vacuumRetention,
                vacuumMinTombstones, historyDepth, worstPartitions, reader, maxDeletionVectorFileShare, hotPartitionWindow, cooldown,
                name, auditSchedule, optimizeWindow, checkpointWindow, vacuumWindow, adaptiveTargetFileSize, maxBytesPerJob,
                maxPartitionsPerJob, predictionTolerance, auditTimeout);
    }

    /**
     * The target in force for a table of {@code tableBytes}: the table entry's target-file-size, then the table's
     * delta.targetFileSize, then the adaptive target when adaptive-target-file-size is on, then the defaults' target.
     */
    public long effectiveTargetFileBytes(Map<String, String> tableProperties, long tableBytes) {
        OptionalLong fixed = fixedTargetFileBytes(tableProperties);
        if (fixed.isPresent()) {
            return fixed.getAsLong();
        }
        return adaptiveTargetFileSize ? AdaptiveTarget.forTableBytes(tableBytes) : targetFileSize.bytes();
    }

    /**
     * Which files are small: below small-file-size when set, else below half the target in force; empty when that
     * target is adaptive and so depends on the table's size (then half of each of {@link AdaptiveTarget#targets()}).
     */
    public OptionalLong smallFileBytes(Map<String, String> tableProperties) {
        if (smallFileSize != null) {
            return OptionalLong.of(smallFileSize.bytes());
        }
        OptionalLong fixed = fixedTargetFileBytes(tableProperties);
        if (fixed.isPresent() || !adaptiveTargetFileSize) {
            return OptionalLong.of(fixed.orElse(targetFileSize.bytes()) / 2);
        }
        return OptionalLong.empty();
    }

    /**
     * The retention VACUUM keeps on this table: vacuum-retention, or the table's delta.deletedFileRetentionDuration when
     * longer (the job refuses to go below it, and so does Delta).
     */
    public Duration effectiveVacuumRetention(Map<String, String> tableProperties) {
        return DeltaInterval.parse(tableProperties.get(TABLE_DELETED_FILE_RETENTION))
                .filter(fromTable -> fromTable.compareTo(vacuumRetention) > 0)
                .orElse(vacuumRetention);
    }

    /** The target set for this table in the config entry or by its delta.targetFileSize, if any. */
    private OptionalLong fixedTargetFileBytes(Map<String, String> tableProperties) {
        if (targetFileSizeFromTableEntry) {
            return OptionalLong.of(targetFileSize.bytes());
        }
        String fromTable = tableProperties.get(TABLE_TARGET_FILE_SIZE);
        if (fromTable != null) {
            try {
                return OptionalLong.of(ByteSize.parse(fromTable).bytes());
            } catch (IllegalArgumentException e) {
                // an unparseable table property is ignored, as Delta's writers fall back to their default
            }
        }
        return OptionalLong.empty();
    }
}
