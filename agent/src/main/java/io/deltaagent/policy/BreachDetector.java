package io.deltaagent.policy;

import io.deltaagent.config.ByteSize;
import io.deltaagent.config.Durations;
import io.deltaagent.config.TableOptions;
import io.deltaagent.config.TableSettings;
import io.deltaagent.health.FileStats;
import io.deltaagent.health.LogStats;
import io.deltaagent.health.TableHealth;
import java.util.ArrayList;
import java.util.List;

/** Compares a table's health with its settings and lists every threshold it crosses. Pure: no I/O. */
public final class BreachDetector {

    public List<Breach> detect(TableHealth health, TableSettings settings) {
        List<Breach> breaches = new ArrayList<>();
        smallFiles(health, settings, breaches);
        log(health, settings, breaches);
        vacuum(health, settings, breaches);
        deletionVectors(health, settings, breaches);
        return List.copyOf(breaches);
    }

    private static void smallFiles(TableHealth health, TableSettings settings, List<Breach> out) {
        FileStats files = health.files();
        if (files.maxSmallFilesInPartition() < settings.minSmallFiles()) {
            return;
        }
        boolean clustered = health.identity().clustered();
        // a liquid-clustered table is optimized by its clustering columns: Z-order is not for it
        MaintenanceAction action = settings.zorderBy().isEmpty() || clustered ? MaintenanceAction.OPTIMIZE : MaintenanceAction.OPTIMIZE_ZORDER;
        String where = health.identity().partitionColumns().isEmpty()
                ? "the table holds " + files.smallFiles() + " small files"
                : files.partitionsWithSmallFiles() + " of " + files.partitions() + " partitions hold at least "
                        + settings.minSmallFiles() + " small files (worst: " + worstName(files) + " with "
                        + files.maxSmallFilesInPartition() + ")";
        String zorder = clustered ? "; liquid-clustered by " + String.join(", ", health.identity().clusteringColumns())
                : settings.zorderBy().isEmpty() ? "" : "; Z-order by " + String.join(", ", settings.zorderBy());
        out.add(new Breach(TableOptions.MIN_SMALL_FILES.key(), files.maxSmallFilesInPartition(), settings.minSmallFiles(),
                "files", action, where + " below " + ByteSize.format(files.smallFileThresholdBytes()) + zorder));
    }

    private static String worstName(FileStats files) {
        return files.worstPartitions().isEmpty() ? "?" : files.worstPartitions().get(0).partition();
    }

    private static void log(TableHealth health, TableSettings settings, List<Breach> out) {
        LogStats log = health.log();
        if (log.commitsSinceCheckpoint() > settings.maxCommitsSinceCheckpoint()) {
            out.add(new Breach(TableOptions.MAX_COMMITS_SINCE_CHECKPOINT.key(), log.commitsSinceCheckpoint(),
                    settings.maxCommitsSinceCheckpoint(), "commits", MaintenanceAction.CHECKPOINT,
                    log.commitsSinceCheckpoint() + " commits since "
                            + (log.lastCheckpointVersion() == null ? "the table was created (no checkpoint)"
                            : "checkpoint " + log.lastCheckpointVersion())));
        }
        if (log.objects() > settings.maxLogObjects()) {
            out.add(new Breach(TableOptions.MAX_LOG_OBJECTS.key(), log.objects(), settings.maxLogObjects(), "objects",
                    MaintenanceAction.CHECKPOINT, "_delta_log holds " + log.objects() + " objects ("
                            + ByteSize.format(log.bytes()) + ")"));
        }
        long latency = health.readCost().snapshotMillis();
        long limit = settings.maxLogReadLatency().toMillis();
        if (latency > limit) {
            out.add(new Breach(TableOptions.MAX_LOG_READ_LATENCY.key(), latency, limit, "ms", MaintenanceAction.CHECKPOINT,
                    "building the latest snapshot took " + Durations.humanMillis(latency)));
        }
    }

    private static void deletionVectors(TableHealth health, TableSettings settings, List<Breach> out) {
        var dv = health.deletionVectors();
        if (dv == null || dv.fileShare() <= settings.maxDeletionVectorFileShare()) {
            return;
        }
        out.add(new Breach(TableOptions.MAX_DELETION_VECTOR_FILE_SHARE.key(), Math.round(dv.fileShare() * 100),
                Math.round(settings.maxDeletionVectorFileShare() * 100), "% of files", MaintenanceAction.OPTIMIZE,
                dv.filesWithDeletionVectors() + " of " + health.files().activeFiles() + " files carry deletion vectors ("
                        + dv.deletedRows() + " deleted rows still stored); OPTIMIZE or REORG TABLE ... APPLY (PURGE) rewrites them"));
    }

    private static void vacuum(TableHealth health, TableSettings settings, List<Breach> out) {
        var t = health.tombstones();
        if (settings.vacuumEnabled() && t.vacuumableCount() >= settings.vacuumMinTombstones()) {
            out.add(new Breach(TableOptions.VACUUM_MIN_TOMBSTONES.key(), t.vacuumableCount(), settings.vacuumMinTombstones(),
                    "files", MaintenanceAction.VACUUM, t.vacuumableCount() + " removed files (" + ByteSize.format(t.vacuumableBytes())
                            + ") are older than the retention of " + t.retention() + " and can be vacuumed (the log tracks "
                            + t.count() + " in all)" + (t.coveredBefore() == null ? ""
                            : "; the last VACUUM covered removals before " + t.coveredBefore())));
        }
    }

}
