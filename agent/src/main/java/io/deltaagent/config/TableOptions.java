package io.deltaagent.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The per-table settings: thresholds that decide when maintenance is due, and how much history to read.
 * They can be set under {@code defaults:} and overridden per table under {@code tables:}. Defaults start
 * from Delta's own (the description says where each comes from).
 */
public final class TableOptions {

    private TableOptions() {
    }

    public static final ConfigOption<ByteSize> TARGET_FILE_SIZE = ConfigOption.of(
            "target-file-size", OptionType.BYTE_SIZE, ByteSize.ofMebibytes(128),
            s -> s.bytes() >= 1024 * 1024, ">= 1MiB",
            "Size OPTIMIZE aims for (Delta's OPTIMIZE maxFileSize default, 128MiB); a table's delta.targetFileSize wins over the global default, a per-table entry wins over both.");

    public static final ConfigOption<ByteSize> SMALL_FILE_SIZE = new ConfigOption<>(
            "small-file-size", OptionType.BYTE_SIZE, null, "half of target-file-size",
            s -> s.bytes() >= 1, ">= 1B",
            "A data file below this size counts as small (Delta's auto compaction treats files below half the target as compaction candidates).");

    public static final ConfigOption<Boolean> ADAPTIVE_TARGET_FILE_SIZE = ConfigOption.of(
            "adaptive-target-file-size", OptionType.BOOLEAN, false,
            b -> true, "true or false",
            "For tables whose target no config entry or delta.targetFileSize sets: grow the target with the table, 128MiB below 10GiB, doubling at each tenfold growth (256MiB from 10GiB, 512MiB from 100GiB) up to 1GiB from 1TiB; the small-file size (half the target unless set) follows it.");

    public static final ConfigOption<ByteSize> MAX_BYTES_PER_JOB = ConfigOption.of(
            "max-bytes-per-job", OptionType.BYTE_SIZE, ByteSize.ofMebibytes(100 * 1024),
            s -> s.bytes() >= 1024, ">= 1KiB",
            "OPTIMIZE is split into jobs (units) rewriting at most about this much each, worst partitions first, each its own commit; a single partition (or an unpartitioned table) above it runs as one job that commits every this many bytes.");

    public static final ConfigOption<Integer> MAX_PARTITIONS_PER_JOB = ConfigOption.of(
            "max-partitions-per-job", OptionType.INTEGER, 1000,
            n -> n >= 1 && n <= 1000, "1 to 1000",
            "At most this many partitions in one OPTIMIZE job's WHERE list; more due partitions are split into further jobs.");

    public static final ConfigOption<Double> PREDICTION_TOLERANCE = ConfigOption.of(
            "prediction-tolerance", OptionType.FRACTION, 0.2,
            f -> f > 0 && f <= 1, "> 0 and <= 1",
            "A run whose files or bytes rewritten, or files written, differ from the plan's prediction by more than this share (and by more than one file) is flagged DEVIATED instead of HEALED.");

    public static final ConfigOption<Integer> MIN_SMALL_FILES = ConfigOption.of(
            "min-small-files", OptionType.INTEGER, 50,
            n -> n >= 2, ">= 2",
            "OPTIMIZE is due when a partition (or an unpartitioned table) holds at least this many small files (Delta auto compaction's minNumFiles, 50).");

    public static final ConfigOption<Integer> MAX_COMMITS_SINCE_CHECKPOINT = ConfigOption.of(
            "max-commits-since-checkpoint", OptionType.INTEGER, 20,
            n -> n >= 1, ">= 1",
            "Checkpoint compaction is due past this many commits after the last checkpoint (twice Delta's default delta.checkpointInterval of 10: a healthy writer never reaches it).");

    public static final ConfigOption<Integer> MAX_LOG_OBJECTS = ConfigOption.of(
            "max-log-objects", OptionType.INTEGER, 10_000,
            n -> n >= 10, ">= 10",
            "Checkpoint compaction and log cleanup are due past this many objects in _delta_log (10 LIST pages of 1,000 keys on S3).");

    public static final ConfigOption<Duration> MAX_LOG_READ_LATENCY = ConfigOption.of(
            "max-log-read-latency", OptionType.DURATION, Duration.ofSeconds(10),
            d -> !d.isNegative() && !d.isZero(), "> 0",
            "Checkpoint compaction is due when building the latest snapshot cold takes longer than this.");

    public static final ConfigOption<List<String>> ZORDER_BY = ConfigOption.of(
            "zorder-by", OptionType.COLUMN_LIST, List.of(),
            cols -> cols.size() <= 4, "at most 4 columns",
            "Columns to Z-order by when compacting; empty means plain bin-packing OPTIMIZE.");

    public static final ConfigOption<Boolean> VACUUM_ENABLED = ConfigOption.of(
            "vacuum-enabled", OptionType.BOOLEAN, false,
            b -> true, "true or false",
            "VACUUM is planned only for tables that opt in (it deletes files, and with them time travel beyond the retention).");

    public static final ConfigOption<Duration> VACUUM_RETENTION = ConfigOption.of(
            "vacuum-retention", OptionType.DURATION, Duration.ofDays(7),
            d -> d.compareTo(Duration.ofDays(7)) >= 0, ">= 7d (Delta's retention check floor)",
            "Files removed from the table longer ago than this may be vacuumed (Delta's delta.deletedFileRetentionDuration default, 7 days; never below the table's own setting).");

    public static final ConfigOption<Integer> VACUUM_MIN_TOMBSTONES = ConfigOption.of(
            "vacuum-min-tombstones", OptionType.INTEGER, 1000,
            n -> n >= 1, ">= 1",
            "VACUUM is due when the log tracks at least this many removed files (tombstones) and vacuum-enabled is true.");

    public static final ConfigOption<Duration> AUDIT_TIMEOUT = ConfigOption.of(
            "audit-timeout", OptionType.DURATION, Duration.ofMinutes(5),
            d -> !d.isNegative() && !d.isZero(), "> 0",
            "An audit of the table that has not finished after this long is reported TIMED_OUT (a stalled storage endpoint), and the run or the daemon's cycle goes on with the other tables.");

    public static final ConfigOption<Integer> HISTORY_DEPTH = ConfigOption.of(
            "history-depth", OptionType.INTEGER, 200,
            n -> n >= 0 && n <= 100_000, "0 to 100000",
            "How many of the newest commit files the audit reads for writer cadence and the last OPTIMIZE/VACUUM (each is one GET on object stores).");

    public static final ConfigOption<Integer> WORST_PARTITIONS = ConfigOption.of(
            "worst-partitions", OptionType.INTEGER, 10,
            n -> n >= 0 && n <= 1000, "0 to 1000",
            "How many partitions with the most small files the audit lists.");

    public static final ConfigOption<ReaderChoice> READER = ConfigOption.of(
            "reader", OptionType.READER, ReaderChoice.AUTO,
            r -> true, "auto, projected, standalone or kernel",
            "Which reader builds snapshots: projected is the agent's own projected read of the log (reader versions up to 3: column mapping, deletion vectors, v2 checkpoints, timestampNtz; bounded memory at millions of files), standalone Delta Standalone (reader version 1), kernel Delta Kernel; auto uses projected, and Kernel for a table projected cannot read; --reader overrides it.");

    public static final ConfigOption<Double> MAX_DELETION_VECTOR_FILE_SHARE = ConfigOption.of(
            "max-deletion-vector-file-share", OptionType.FRACTION, 0.2,
            f -> f > 0 && f <= 1, "> 0 and <= 1",
            "OPTIMIZE (which purges deletion vectors, as REORG TABLE ... APPLY (PURGE) does) is due when more than this share of active files carry deletion vectors (measured by the projected and Kernel readers).");

    public static final ConfigOption<Duration> HOT_PARTITION_WINDOW = ConfigOption.of(
            "hot-partition-window", OptionType.DURATION, Duration.ofMinutes(30),
            d -> !d.isNegative(), ">= 0",
            "Partitions written within this window are left out of planned OPTIMIZE runs, so compaction does not race streaming writers (0 compacts them too).");

    public static final ConfigOption<Duration> COOLDOWN = ConfigOption.of(
            "cooldown", OptionType.DURATION, Duration.ofHours(6),
            d -> !d.isNegative(), ">= 0",
            "After a run of an action on a table, the same action is not run on it again for this long (maintain and the daemon).");

    public static final ConfigOption<String> AUDIT_SCHEDULE = ConfigOption.of(
            "audit-schedule", OptionType.CRON, "0 */15 * * * ?",
            c -> true, "a valid Quartz cron expression",
            "When the daemon audits the table (and admits the maintenance it needs); tables sharing a schedule are audited together and ranked against each other.");

    public static final ConfigOption<MaintenanceWindow> OPTIMIZE_WINDOW = ConfigOption.of(
            "optimize-window", OptionType.WINDOW, MaintenanceWindow.ALWAYS,
            w -> true, "always or HH:MM-HH:MM spans",
            "When the daemon may start OPTIMIZE (and OPTIMIZE ZORDER BY) on the table, e.g. 01:00-05:00 (UTC); a job started inside the window runs to its end.");

    public static final ConfigOption<MaintenanceWindow> CHECKPOINT_WINDOW = ConfigOption.of(
            "checkpoint-window", OptionType.WINDOW, MaintenanceWindow.ALWAYS,
            w -> true, "always or HH:MM-HH:MM spans",
            "When the daemon may start checkpoint compaction on the table (cheap: any time by default).");

    public static final ConfigOption<MaintenanceWindow> VACUUM_WINDOW = ConfigOption.of(
            "vacuum-window", OptionType.WINDOW, MaintenanceWindow.ALWAYS,
            w -> true, "always or HH:MM-HH:MM spans",
            "When the daemon may start VACUUM on the table.");

    public static final ConfigOption<String> BACKEND = ConfigOption.of(
            "backend", OptionType.STRING, "local",
            b -> BackendOptions.NAMES.contains(b), String.join(", ", BackendOptions.NAMES),
            "Where maintenance jobs run: local (a fresh local Spark process per job) or a backend configured under backends: (spark-submit, databricks, emr, emr-serverless).");

    public static final List<ConfigOption<?>> ALL = List.of(
            TARGET_FILE_SIZE, SMALL_FILE_SIZE, ADAPTIVE_TARGET_FILE_SIZE, MIN_SMALL_FILES, MAX_COMMITS_SINCE_CHECKPOINT, MAX_LOG_OBJECTS,
            MAX_LOG_READ_LATENCY, ZORDER_BY, VACUUM_ENABLED, VACUUM_RETENTION, VACUUM_MIN_TOMBSTONES,
            HISTORY_DEPTH, WORST_PARTITIONS, READER, MAX_DELETION_VECTOR_FILE_SHARE, HOT_PARTITION_WINDOW, COOLDOWN, BACKEND,
            AUDIT_SCHEDULE, OPTIMIZE_WINDOW, CHECKPOINT_WINDOW, VACUUM_WINDOW, MAX_BYTES_PER_JOB, MAX_PARTITIONS_PER_JOB,
            PREDICTION_TOLERANCE, AUDIT_TIMEOUT);

    public static final Map<String, ConfigOption<?>> BY_KEY = ALL.stream()
            .collect(Collectors.toUnmodifiableMap(ConfigOption::key, Function.identity()));
}
