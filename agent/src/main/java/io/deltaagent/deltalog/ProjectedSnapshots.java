package io.deltaagent.deltalog;

import io.deltaagent.deltalog.actions.CheckpointAddReader;
import io.deltaagent.deltalog.actions.CorruptLogException;
import io.deltaagent.deltalog.actions.LogActionVisitor;
import io.deltaagent.deltalog.actions.TableMetadata;
import io.deltaagent.deltalog.replay.BaselineCapture;
import io.deltaagent.deltalog.replay.CheckpointActions;
import io.deltaagent.deltalog.replay.CheckpointFiles;
import io.deltaagent.deltalog.replay.DvTally;
import io.deltaagent.deltalog.replay.FileKeys;
import io.deltaagent.deltalog.replay.RecentFiles;
import io.deltaagent.deltalog.segment.LogSegment;
import io.deltaagent.health.DeletionVectors;
import io.deltaagent.health.FileStats;
import io.deltaagent.health.FileStatsAccumulator;
import io.deltaagent.health.ReadCost;
import io.deltaagent.storage.RequestCounters;
import io.deltaagent.storage.TableLocation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.parquet.io.api.Binary;

/**
 * The agent's own snapshot reader: the commits after the checkpoint (holding only the files they touch), then one
 * projected Parquet read of the checkpoint's add columns streamed into the aggregates, each row checked against
 * those touched files. No library snapshot, no per-file objects: memory grows with the recent commits and the
 * partitions, not with the table.
 *
 * <p>A one-shot read (no re-audit baseline) whose commits after the checkpoint remove nothing skips {@code add.path}
 * and lets the version's checksum file prove the figures ({@code checksum-proven}), reading the paths after all when
 * it does not agree.
 *
 * <p>It reads reader versions up to 3 with the features it knows how to list files of; any other feature is refused
 * before it runs (see {@link LogHealthReader}), never guessed at. A catalog-managed table is read as far as it is
 * published: what a reader without the catalog may read.
 */
public final class ProjectedSnapshots implements SnapshotLibrary {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ProjectedSnapshots.class);

    /**
     * Features that change how the file list is read (column mapping: physical partition keys; deletion vectors:
     * files keyed by path and vector; v2 checkpoints: sidecars) or not at all (the others change data types only).
     */
    private static final Set<String> READER_FEATURES = Set.of("columnMapping", "deletionVectors", "timestampNtz",
            "v2Checkpoint", "vacuumProtocolCheck", "typeWidening", "typeWidening-preview",
            // variant: the type and its shredding change data files and their stats only; this reader never decodes
            // stats, and reads the schema only to map partition columns, which cannot be variant
            "variantType", "variantType-preview", "variantShredding", "variantShredding-preview",
            // catalog-managed: the published commits are an ordinary log, read as such (see CatalogManagedRead)
            "catalogManaged", "catalogOwned-preview");

    /** Reads through the audit's store ({@link LogInspection#store()}): it needs no storage of its own. */
    public ProjectedSnapshots() {
    }

    @Override
    public String name() {
        return "projected";
    }

    @Override
    public int maxReaderVersion() {
        return 3;
    }

    @Override
    public Set<String> readerFeatures() {
        return READER_FEATURES;
    }

    @Override
    public SnapshotFacts measure(TableLocation table, ReadThresholds thresholds, LogInspection log)
            throws Exception {
        return measure(table, thresholds, log, null);
    }

    /** @param capture when not null, receives the aggregates and the active files' key hashes, for re-audits */
    SnapshotFacts measure(TableLocation table, ReadThresholds thresholds, LogInspection log,
                          BaselineCapture capture) throws Exception {
        RequestCounters.Requests before = log.store().counters().requests();
        long t0 = System.nanoTime();
        // the audit's listing and commits after the checkpoint, not a second read; their cost is part of this
        // snapshot's, as every reader's cold snapshot lists the log and reads them: log-read latencies stay comparable
        LogSegment segment = log.segment();
        RecentFiles recent = log.recent();
        CheckpointActions actions = log.replay().checkpointActions();
        // the checkpoint's metaData as soon as its sparse pass has seen it: the adds are read while that pass reads on
        TableMetadata metadata = recent.metadata() != null ? recent.metadata()
                : actions == null ? null : actions.tableActions().metadata();
        if (metadata == null) {
            throw new CorruptLogException("no metaData action found in " + (actions == null ? "the commits"
                    : "checkpoint " + segment.checkpoint().version() + " or the commits after it"));
        }
        long snapshotMillis = log.segmentCost().millis() + (System.nanoTime() - t0) / 1_000_000;
        RequestCounters.Requests snapshotRequests = log.segmentCost().requests()
                .plus(log.store().counters().requests().minus(before));

        Map<String, String> properties = metadata.properties();
        List<String> columns = metadata.partitionColumns();
        long t1 = System.nanoTime();
        // issue 26: add.path (most of a checkpoint's bytes) serves only to drop the files the later commits touch; when
        // they remove nothing, a file can be touched only by being added again, which would count it twice: the
        // version's checksum file then proves (or disproves) the figures read without paths
        boolean shortcut = capture == null && actions != null && !recent.isEmpty() && !recent.removesAny()
                && CheckpointFiles.topLevel(actions).stream().anyMatch(f -> !f.isJson())
                && log.checksums().isListed(segment.version());
        Scan scan = scan(thresholds, metadata, actions, recent, !shortcut && (!recent.isEmpty() || capture != null),
                capture);
        String mode = ReadCost.FULL;
        String fullReason = null;
        if (shortcut) {
            fullReason = log.checksums().disproof(segment.version(), metadata.id(), log.protocol(), scan.files(),
                    scan.deletionVectors());
            if (fullReason == null) {
                mode = ReadCost.CHECKSUM_PROVEN;
            } else {
                LOG.info("{}: {}: the checkpoint's adds are read again with their paths", table.display(), fullReason);
                // a third open of each large checkpoint part (sparse actions, adds without paths, adds with them), paid
                // only when the checksum disagrees or cannot be read; the check reported then is the full read's
                scan = scan(thresholds, metadata, actions, recent, true, null);
            }
        }
        long scanMillis = (System.nanoTime() - t1) / 1_000_000;
        LOG.debug("{}: file actions read {} in {} ms", table.display(), mode, scanMillis);
        return new SnapshotFacts(segment.version(), metadata.id(), columns, properties, scan.files(), scan.deletionVectors(),
                snapshotMillis, snapshotRequests, scanMillis, null, mode, fullReason);
    }

    /** The active files' aggregates of one read of the checkpoint's adds and the later commits. */
    private record Scan(FileStats files, DeletionVectors deletionVectors) {
    }

    private static Scan scan(ReadThresholds thresholds, TableMetadata metadata, CheckpointActions actions,
                             RecentFiles recent, boolean wantPaths, BaselineCapture capture) throws Exception {
        Map<String, String> keyToColumn = metadata.partitionKeyToColumn();
        FileStatsAccumulator files = new FileStatsAccumulator(thresholds.rules().smallFiles(metadata.properties()),
                thresholds.minSmallFiles(), thresholds.worstPartitions(), metadata.partitionColumns());
        DvTally dvs = new DvTally();
        if (capture != null) {
            files.trackNewest();
            capture.files = files;
            capture.deletionVectors = dvs;
            capture.metadata = metadata;
        }
        if (actions != null) {
            CheckpointAddReader.Sink sink = (path, dvId, size, values, mtime, dvCardinality, dvBytes) -> {
                if (path == null || !recent.touches(path, dvId)) {
                    long key = capture == null ? 0L : FileKeys.of(path, dvId);
                    files.add(size, values, mtime, key);
                    dvs.count(dvId != null, dvCardinality, dvBytes);
                    if (capture != null) {
                        capture.activeKeys.add(key);
                    }
                }
            };
            List<String> withoutAdds = new ArrayList<>();
            CheckpointFiles checkpoint;
            try {
                for (CheckpointFiles.Source part : CheckpointFiles.topLevel(actions)) {
                    if (read(actions, part, wantPaths, keyToColumn, sink) < 0) {
                        withoutAdds.add(part.display());
                    }
                }
                // the sparse pass's end: the parts checked against it (a v2 checkpoint's may lack adds) and its sidecars
                checkpoint = CheckpointFiles.of(actions);
            } catch (java.io.IOException | RuntimeException e) {
                throw sparseFailureFirst(actions, e);
            }
            if (checkpoint.partsHoldAdds() && !withoutAdds.isEmpty()) {
                throw CheckpointAddReader.noAddColumn(withoutAdds.get(0));
            }
            for (CheckpointFiles.Source sidecar : checkpoint.sidecarFiles()) {
                read(actions, sidecar, wantPaths, keyToColumn, sink);
            }
        }
        for (RecentFiles.LiveFile f : recent.live()) {
            long key = capture == null ? 0L : FileKeys.of(f.path(), f.deletionVectorId());
            files.add(f.size(), TableMetadata.byColumn(f.partitionValues(), keyToColumn), f.modificationTime(), key);
            dvs.count(f.hasDeletionVector(), f.dvCardinality(), f.dvBytes());
            if (capture != null) {
                capture.activeKeys.add(key);
            }
        }
        FileStats stats = files.result();
        return new Scan(stats, dvs.result(stats.activeFiles()));
    }

    /** One part or sidecar's adds into the sink; -1 when it has no add column (and need not have one). */
    private static long read(CheckpointActions actions, CheckpointFiles.Source source, boolean wantPaths,
                             Map<String, String> keyToColumn, CheckpointAddReader.Sink sink) throws java.io.IOException {
        if (source.isJson()) {
            actions.readJsonFileActions(source.path(), jsonCheckpoint(sink, keyToColumn));
            return 0;
        }
        long rows = CheckpointAddReader.read(actions.fileActions(source.path(), source.length()), source.display(),
                source.addRequired(), wantPaths, keyToColumn, sink);
        actions.fileActionsRead(source.path());
        return rows;
    }

    /**
     * The add pass failed while the sparse pass read the same parts: the sparse pass's failure is the one reported (as
     * when it ran first, alone), the add pass's only when the sparse pass succeeded.
     */
    private static Exception sparseFailureFirst(CheckpointActions actions, Exception addFailure) {
        try {
            CheckpointFiles.of(actions);
        } catch (Exception sparse) {
            if (sparse != addFailure) {
                sparse.addSuppressed(addFailure);
            }
            return sparse;
        }
        return addFailure;
    }

    /** A v2 checkpoint's JSON top-level file: its add actions go to the same sink as Parquet rows. */
    private static LogActionVisitor jsonCheckpoint(CheckpointAddReader.Sink sink, Map<String, String> keyToColumn) {
        return new LogActionVisitor() {
            @Override
            public void addFile(String path, String dvId, long size, Map<String, String> values, long mtime,
                                long dvCardinality, long dvBytes) {
                sink.add(Binary.fromString(path), dvId, size, TableMetadata.byColumn(values, keyToColumn), mtime, dvCardinality, dvBytes);
            }
        };
    }
}
