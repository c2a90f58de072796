package io.deltaagent.plan;

import io.deltaagent.config.Durations;
import io.deltaagent.config.TableOptions;
import io.deltaagent.config.TableSettings;
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
 *       least {@code min-small-files} small files, minus those written within {@code hot-partition-window}.</li>
 *   <li>VACUUM last, and only for tables that opt in (the detector reports no VACUUM breach otherwise).</li>
 * </ul>
 */
public final class Planner {

    /** Beyond this many partitions a WHERE list gets unwieldy; OPTIMIZE then runs on the whole table. */
    static final int MAX_PARTITIONS_IN_PREDICATE = 1000;

    public MaintenancePlan plan(TableHealth health, List<Breach> breaches, TableSettings settings, Instant now) {
        List<PlannedAction> actions = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        List<Breach> log = of(breaches, MaintenanceAction.CHECKPOINT);
        List<Breach> optimize = new ArrayList<>(of(breaches, MaintenanceAction.OPTIMIZE));
        optimize.addAll(of(breaches, MaintenanceAction.OPTIMIZE_ZORDER));
        List<Breach> vacuum = of(breaches, MaintenanceAction.VACUUM);

        if (!log.isEmpty()) {
            actions.add(new PlannedAction(MaintenanceAction.CHECKPOINT, null, List.of(), null, log,
                    new Expectation(0, 0, health.files().activeFiles(), 0), List.of()));
        }
        if (!optimize.isEmpty()) {
            optimize(health, settings, now, optimize, notes).ifPresent(actions::add);
        }
        if (!vacuum.isEmpty()) {
            actions.add(new PlannedAction(MaintenanceAction.VACUUM, null, List.of(), settings.vacuumRetention(), vacuum,
                    new Expectation(health.tombstones().count(), health.tombstones().bytes(), health.files().activeFiles(),
                            afterCheckpoint(health, actions)), List.of()));
        }
        return new MaintenancePlan(health.table(), health.identity().version(), actions, notes);
    }

    private static java.util.Optional<PlannedAction> optimize(TableHealth health, TableSettings settings, Instant now,
                                                              List<Breach> reasons, List<String> notes) {
        FileStats files = health.files();
        List<String> partitionColumns = health.identity().partitionColumns();
        boolean zorder = !settings.zorderBy().isEmpty();
        MaintenanceAction action = zorder ? MaintenanceAction.OPTIMIZE_ZORDER : MaintenanceAction.OPTIMIZE;
        long target = settings.effectiveTargetFileBytes(health.identity().properties());
        boolean onlySmallFiles = reasons.stream().allMatch(b -> b.threshold().equals(TableOptions.MIN_SMALL_FILES.key()));
        long commitsAfter = afterCheckpoint(health, List.of());

        if (partitionColumns.isEmpty() || !onlySmallFiles) {
            // unpartitioned, or deletion vectors to purge: the whole table
            long rewritten = zorder ? files.activeFiles() : files.smallFiles();
            long bytes = zorder ? files.totalBytes() : files.smallFileBytes();
            return java.util.Optional.of(new PlannedAction(action, null, settings.zorderBy(), null, reasons,
                    expectation(files.activeFiles(), rewritten, bytes, target, commitsAfter), List.of()));
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
            return java.util.Optional.empty();
        }
        long rewritten = selected.stream().mapToLong(p -> zorder ? p.files() : p.smallFiles()).sum();
        long bytes = selected.stream().mapToLong(p -> zorder ? p.bytes() : p.smallFileBytes()).sum();
        // OPTIMIZE bins within a partition: at least one new file per partition
        long written = selected.stream().mapToLong(p -> Math.max(1, ((zorder ? p.bytes() : p.smallFileBytes()) + target - 1) / target))
                .sum();
        String where = null;
        if (selected.size() <= MAX_PARTITIONS_IN_PREDICATE) {
            where = PartitionPredicate.of(partitionColumns, selected);
        } else if (!skipped.isEmpty()) {
            notes.add(selected.size() + " partitions to compact are too many for a WHERE list and " + skipped.size()
                    + " are hot: OPTIMIZE deferred until fewer partitions are due");
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(new PlannedAction(action, where, settings.zorderBy(), null, reasons,
                new Expectation(rewritten, bytes, files.activeFiles() - rewritten + Math.min(written, rewritten), commitsAfter),
                skipped));
    }

    private static Expectation expectation(long activeFiles, long rewritten, long bytes, long target, long commitsAfter) {
        long written = Math.max(1, (bytes + target - 1) / target);
        return new Expectation(rewritten, bytes, activeFiles - rewritten + Math.min(written, rewritten), commitsAfter);
    }

    private static long afterCheckpoint(TableHealth health, List<PlannedAction> earlier) {
        boolean checkpointed = earlier.stream().anyMatch(a -> a.action() == MaintenanceAction.CHECKPOINT);
        return checkpointed ? 1 : health.log().commitsSinceCheckpoint() + 1;
    }

    private static List<Breach> of(List<Breach> breaches, MaintenanceAction action) {
        return breaches.stream().filter(b -> b.action() == action).toList();
    }
}
