package io.deltaagent.plan;

import io.deltaagent.config.Durations;
import io.deltaagent.config.TableOptions;
import io.deltaagent.config.TableSettings;
import io.deltaagent.features.JobRuntime;
import io.deltaagent.health.FileStats;
import io.deltaagent.health.PartitionStat;
import io.deltaagent.health.TableHealth;
import io.deltaagent.policy.Breach;
import io.deltaagent.policy.MaintenanceAction;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns an audit's breaches into an ordered {@link MaintenancePlan}. Pure: no I/O.
 *
 * <ul>
 *   <li>Checkpoint compaction first when the log is the problem: every later job then reads a short log.</li>
 *   <li>OPTIMIZE (or OPTIMIZE ZORDER BY) next, limited on partitioned tables to the partitions with at
 *       least {@code min-small-files} small files, minus those written within {@code hot-partition-window}, and
 *       split into units of at most {@code max-bytes-per-job} and {@code max-partitions-per-job}, worst partitions
 *       first. Bin-packing jobs get the agent's sizes, so they rewrite only the small files counted here.</li>
 *   <li>VACUUM last, and only for tables that opt in (the detector reports no VACUUM breach otherwise).</li>
 * </ul>
 */
public final class Planner {

    private final java.util.function.Function<String, JobRuntime> runtimes;

    /** A planner for jobs on the 3.5 runtime, every backend's default. */
    public Planner() {
        this(JobRuntime.SPARK_3_5);
    }

    /** @param runtime the job runtime every plan's jobs run on: a table it cannot write is not maintainable here */
    public Planner(JobRuntime runtime) {
        this(constant(java.util.Objects.requireNonNull(runtime, "runtime")));
    }

    /**
     * @param runtimes the job runtime of each backend, by name: a table whose backend's runtime cannot write it is not
     *                 maintainable here
     */
    public Planner(java.util.function.Function<String, JobRuntime> runtimes) {
        this.runtimes = java.util.Objects.requireNonNull(runtimes, "runtimes");
    }

    private static java.util.function.Function<String, JobRuntime> constant(JobRuntime runtime) {
        return backend -> runtime;
    }

    /** Why the table is not maintainable on its backend's runtime (the default's without settings), or empty when it is. */
    public java.util.Optional<String> notMaintainable(TableHealth health, TableSettings settings) {
        return Maintainability.refusal(health.identity(), runtimeOf(settings));
    }

    private JobRuntime runtimeOf(TableSettings settings) {
        return runtimes.apply(settings == null ? TableSettings.defaults().backend() : settings.backend());
    }

    public MaintenancePlan plan(TableHealth health, List<Breach> breaches, TableSettings settings, Instant now) {
        java.util.Optional<String> refused = Maintainability.refusal(health.identity(), runtimeOf(settings));
        if (refused.isPresent()) {
            return MaintenancePlan.notMaintainable(health.table(), health.identity().version(), refused.get());
        }
        List<PlannedAction> actions = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        List<Breach> log = of(breaches, MaintenanceAction.CHECKPOINT);
        List<Breach> optimize = new ArrayList<>(of(breaches, MaintenanceAction.OPTIMIZE));
        optimize.addAll(of(breaches, MaintenanceAction.OPTIMIZE_ZORDER));
        List<Breach> vacuum = of(breaches, MaintenanceAction.VACUUM);

        if (!log.isEmpty()) {
            actions.add(new PlannedAction(MaintenanceAction.CHECKPOINT, null, List.of(), null, log,
                    Expectation.noRewrite(0, 0, health.files().activeFiles(), 0), List.of()));
        }
        if (!optimize.isEmpty()) {
            actions.addAll(optimize(health, settings, now, optimize, afterCheckpoint(health, actions), notes));
        }
        if (!vacuum.isEmpty()) {
            long filesAfter = actions.isEmpty() ? health.files().activeFiles() : actions.get(actions.size() - 1).expected().filesAfter();
            // the table's own retention when longer: the job refuses to go below it
            actions.add(new PlannedAction(MaintenanceAction.VACUUM, null, List.of(),
                    settings.effectiveVacuumRetention(health.identity().properties()), vacuum,
                    Expectation.noRewrite(health.tombstones().vacuumableCount(), health.tombstones().vacuumableBytes(), filesAfter,
                            afterCheckpoint(health, actions) + commitsOf(actions)), List.of()));
        }
        return new MaintenancePlan(health.table(), health.identity().version(), actions, notes);
    }

    private static List<PlannedAction> optimize(TableHealth health, TableSettings settings, Instant now, List<Breach> reasons,
                                                long commitsAfter, List<String> notes) {
        FileStats files = health.files();
        List<String> partitionColumns = health.identity().partitionColumns();
        List<String> clustering = health.identity().clusteringColumns();
        if (!clustering.isEmpty() && !settings.zorderBy().isEmpty()) {
            notes.add("zorder-by " + settings.zorderBy() + " ignored: the table is liquid-clustered by " + clustering
                    + ", and OPTIMIZE clusters it by those columns (Z-order is refused on clustered tables)");
        }
        boolean zorder = !settings.zorderBy().isEmpty() && clustering.isEmpty();
        List<String> zorderBy = zorder ? settings.zorderBy() : List.of();
        MaintenanceAction action = zorder ? MaintenanceAction.OPTIMIZE_ZORDER : MaintenanceAction.OPTIMIZE;
        long target = settings.effectiveTargetFileBytes(health.identity().properties(), files.totalBytes());
        long small = files.smallFileThresholdBytes();
        long maxBytes = settings.maxBytesPerJob().bytes();
        boolean onlySmallFiles = reasons.stream().allMatch(b -> b.threshold().equals(TableOptions.MIN_SMALL_FILES.key()));

        if (partitionColumns.isEmpty() || !onlySmallFiles) {
            // unpartitioned, or deletion vectors to purge: the whole table in one job, committing in bounded batches
            Rewrite whole = new Rewrite(zorder ? files.activeFiles() : files.smallFiles(),
                    zorder ? files.totalBytes() : files.smallFileBytes(), files.smallFileBytes(), 0);
            whole = whole.withWritten(filesWritten(whole.bytes(), target));
            return List.of(new PlannedAction(action, null, zorderBy, null, reasons,
                    whole.expectation(files.activeFiles(), commitsAfter), List.of(), sizes(small, target, whole.bytes(), maxBytes),
                    1, 1));
        }

        Instant hotSince = now.minus(settings.hotPartitionWindow());
        List<PartitionStat> selected = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (PartitionStat p : files.compactionCandidates()) {
            if (!settings.hotPartitionWindow().isZero() && p.lastModified().isAfter(hotSince)) {
                skipped.add(p.partition());
            } else {
                selected.add(p);
            }
        }
        if (selected.isEmpty()) {
            notes.add("OPTIMIZE deferred: all " + skipped.size() + " partitions with many small files were written in the last "
                    + Durations.toConfigString(settings.hotPartitionWindow()) + " (hot-partition-window)");
            return List.of();
        }
        // compactionCandidates come worst first (most small files): so do the units
        List<List<PartitionStat>> units = split(selected, zorder, maxBytes, settings.maxPartitionsPerJob());
        List<PlannedAction> planned = new ArrayList<>();
        long filesBefore = files.activeFiles();
        for (int i = 0; i < units.size(); i++) {
            List<PartitionStat> unit = units.get(i);
            Rewrite r = new Rewrite(0, 0, 0, 0);
            for (PartitionStat p : unit) {
                long bytes = zorder ? p.bytes() : p.smallFileBytes();
                // OPTIMIZE bins within a partition: at least one new file per partition
                r = r.plus(new Rewrite(zorder ? p.files() : p.smallFiles(), bytes, p.smallFileBytes(), filesWritten(bytes, target)));
            }
            Expectation expected = r.expectation(filesBefore, commitsAfter + i);
            planned.add(new PlannedAction(action, PartitionPredicate.of(partitionColumns, unit), zorderBy, null, reasons,
                    expected, i == 0 ? skipped : List.of(), sizes(small, target, r.bytes(), maxBytes), i + 1, units.size()));
            filesBefore = expected.filesAfter();
        }
        return planned;
    }

    /** Greedy, in order: a unit takes partitions while it stays within both bounds; a partition over the bytes is alone. */
    static List<List<PartitionStat>> split(List<PartitionStat> partitions, boolean zorder, long maxBytes, int maxPartitions) {
        List<List<PartitionStat>> units = new ArrayList<>();
        List<PartitionStat> current = new ArrayList<>();
        long currentBytes = 0;
        for (PartitionStat p : partitions) {
            long bytes = zorder ? p.bytes() : p.smallFileBytes();
            if (!current.isEmpty() && (currentBytes + bytes > maxBytes || current.size() >= maxPartitions)) {
                units.add(current);
                current = new ArrayList<>();
                currentBytes = 0;
            }
            current.add(p);
            currentBytes += bytes;
        }
        if (!current.isEmpty()) {
            units.add(current);
        }
        return units;
    }

    private static RewriteSizes sizes(long smallFileBytes, long target, long bytes, long maxBytesPerJob) {
        // a target below the small-file size (both configured) must not make min exceed max
        long max = Math.max(target, smallFileBytes);
        return new RewriteSizes(smallFileBytes, max, bytes > maxBytesPerJob ? maxBytesPerJob : null);
    }

    private static long filesWritten(long bytes, long target) {
        return Math.max(1, (bytes + target - 1) / target);
    }

    /** What one unit rewrites: files and bytes read, the small files' bytes among them, files written. */
    private record Rewrite(long files, long bytes, long smallBytes, long written) {
        Rewrite plus(Rewrite o) {
            return new Rewrite(files + o.files, bytes + o.bytes, smallBytes + o.smallBytes, written + o.written);
        }

        Rewrite withWritten(long w) {
            return new Rewrite(files, bytes, smallBytes, w);
        }

        Expectation expectation(long filesBefore, long commitsAfter) {
            long w = Math.min(written, files);
            return new Expectation(files, bytes, w, smallBytes, filesBefore - files + w, commitsAfter);
        }
    }

    private static long afterCheckpoint(TableHealth health, List<PlannedAction> earlier) {
        boolean checkpointed = earlier.stream().anyMatch(a -> a.action() == MaintenanceAction.CHECKPOINT);
        return checkpointed ? 1 : health.log().commitsSinceCheckpoint() + 1;
    }

    private static long commitsOf(List<PlannedAction> actions) {
        return actions.stream().filter(a -> a.action() == MaintenanceAction.OPTIMIZE || a.action() == MaintenanceAction.OPTIMIZE_ZORDER)
                .count();
    }

    private static List<Breach> of(List<Breach> breaches, MaintenanceAction action) {
        return breaches.stream().filter(b -> b.action() == action).toList();
    }
}
