package io.deltaagent.deltalog;

import io.delta.standalone.DeltaLog;
import io.delta.standalone.Snapshot;
import io.delta.standalone.actions.AddFile;
import io.delta.standalone.actions.Metadata;
import io.delta.standalone.data.CloseableIterator;
import io.deltaagent.deltalog.storage.HadoopStorage;
import io.deltaagent.health.FileStatsAccumulator;
import io.deltaagent.storage.RequestCounters;
import io.deltaagent.storage.TableLocation;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Snapshots with Delta Standalone 3.3: reader protocol version 1 only. */
public final class StandaloneSnapshots implements SnapshotLibrary {

    private static final Logger LOG = LoggerFactory.getLogger(StandaloneSnapshots.class);

    private final HadoopStorage storage;

    /** Delta Standalone reads through Hadoop itself: it takes the storage's Hadoop configuration. */
    public StandaloneSnapshots(HadoopStorage storage) {
        this.storage = Objects.requireNonNull(storage, "storage");
    }

    @Override
    public String name() {
        return "standalone";
    }

    @Override
    public int maxReaderVersion() {
        return 1;
    }

    @Override
    public Set<String> readerFeatures() {
        return Set.of();
    }

    @Override
    public SnapshotFacts measure(TableLocation table, ReadThresholds thresholds, LogInspection log)
            throws Exception {
        RequestCounters before = log.store().clientCounters();
        long t0 = System.nanoTime();
        Snapshot snapshot = DeltaLog.forTable(storage.configuration(), table.path()).snapshot();
        long snapshotMillis = (System.nanoTime() - t0) / 1_000_000;
        RequestCounters after = log.store().clientCounters();
        LOG.debug("{}: storage counters during the snapshot build: {}", table.display(), after.changesSince(before));

        Metadata metadata = snapshot.getMetadata();
        Map<String, String> properties = metadata.getConfiguration();
        FileStatsAccumulator files = new FileStatsAccumulator(thresholds.rules().smallFiles(properties),
                thresholds.minSmallFiles(), thresholds.worstPartitions(), metadata.getPartitionColumns());
        long t1 = System.nanoTime();
        try (CloseableIterator<AddFile> it = snapshot.scan().getFiles()) {
            while (it.hasNext()) {
                AddFile add = it.next();
                files.add(add.getSize(), add.getPartitionValues(), add.getModificationTime());
            }
        }
        long scanMillis = (System.nanoTime() - t1) / 1_000_000;
        return new SnapshotFacts(snapshot.getVersion(), metadata.getId(), metadata.getPartitionColumns(), properties,
                files.result(), null, snapshotMillis, after.requestsSince(before), scanMillis, null);
    }
}
