package io.deltaagent.deltalog;

import io.delta.kernel.Scan;
import io.delta.kernel.Snapshot;
import io.delta.kernel.Table;
import io.delta.kernel.data.FilteredColumnarBatch;
import io.delta.kernel.data.Row;
import io.delta.kernel.defaults.engine.DefaultEngine;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.engine.ExpressionHandler;
import io.delta.kernel.engine.FileSystemClient;
import io.delta.kernel.engine.JsonHandler;
import io.delta.kernel.engine.MetricsReporter;
import io.delta.kernel.engine.ParquetHandler;
import io.delta.kernel.internal.InternalScanFileUtils;
import io.delta.kernel.internal.actions.DeletionVectorDescriptor;
import io.delta.kernel.metrics.SnapshotReport;
import io.delta.kernel.utils.CloseableIterator;
import io.delta.kernel.utils.FileStatus;
import io.deltaagent.deltalog.actions.TableMetadata;
import io.deltaagent.deltalog.storage.HadoopStorage;
import io.deltaagent.health.DeletionVectors;
import io.deltaagent.health.FileStats;
import io.deltaagent.health.FileStatsAccumulator;
import io.deltaagent.storage.RequestCounters;
import io.deltaagent.storage.TableLocation;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Snapshots with Delta Kernel 4.4: reader versions up to 3 with column mapping, deletion vectors, v2
 * checkpoints and timestampNtz. Scan files are iterated batch by batch, never collected.
 */
public final class KernelSnapshots implements SnapshotLibrary {

    private static final Set<String> READER_FEATURES = Set.of("columnMapping", "deletionVectors", "timestampNtz",
            "v2Checkpoint", "vacuumProtocolCheck", "typeWidening", "typeWidening-preview",
            // delta-kernel 4.4.0 reads these (TableFeature.hasKernelReadSupport)
            "variantType", "variantType-preview", "variantShredding", "variantShredding-preview");

    private final HadoopStorage storage;

    /** Kernel's default engine reads through Hadoop itself: it takes the storage's Hadoop configuration. */
    public KernelSnapshots(HadoopStorage storage) {
        this.storage = Objects.requireNonNull(storage, "storage");
    }

    @Override
    public String name() {
        return "kernel";
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
        AtomicLong kernelLoadNanos = new AtomicLong(-1);
        Engine engine = new ReportingEngine(DefaultEngine.create(storage.configuration()), report -> {
            if (report instanceof SnapshotReport s) {
                kernelLoadNanos.set(s.getSnapshotMetrics().getLoadSnapshotTotalDurationNs());
            }
        });
        RequestCounters before = log.store().clientCounters();
        long t0 = System.nanoTime();
        Snapshot snapshot = Table.forPath(engine, table.path().toString()).getLatestSnapshot(engine);
        long snapshotMillis = (System.nanoTime() - t0) / 1_000_000;
        RequestCounters after = log.store().clientCounters();

        Map<String, String> properties = snapshot.getTableProperties();
        List<String> partitionColumns = snapshot.getPartitionColumnNames();
        FileStatsAccumulator files = new FileStatsAccumulator(thresholds.rules().smallFiles(properties),
                thresholds.minSmallFiles(), thresholds.worstPartitions(), partitionColumns);
        // the table's schema maps partition columns to the physical names scan files key their values by
        Map<String, String> keyToColumn = new TableMetadata(snapshot.getMetadata().getId(), partitionColumns, properties,
                snapshot.getMetadata().getSchemaString()).partitionKeyToColumn();
        long dvFiles = 0;
        long deletedRows = 0;
        long dvBytes = 0;
        long t1 = System.nanoTime();
        Scan scan = snapshot.getScanBuilder().build();
        try (CloseableIterator<FilteredColumnarBatch> batches = scan.getScanFiles(engine)) {
            while (batches.hasNext()) {
                try (CloseableIterator<Row> rows = batches.next().getRows()) {
                    while (rows.hasNext()) {
                        Row row = rows.next();
                        FileStatus status = InternalScanFileUtils.getAddFileStatus(row);
                        files.add(status.getSize(), TableMetadata.byColumn(InternalScanFileUtils.getPartitionValues(row), keyToColumn),
                                status.getModificationTime());
                        DeletionVectorDescriptor dv = InternalScanFileUtils.getDeletionVectorDescriptorFromRow(row);
                        if (dv != null) {
                            dvFiles++;
                            deletedRows += dv.getCardinality();
                            dvBytes += dv.getSizeInBytes();
                        }
                    }
                }
            }
        }
        long scanMillis = (System.nanoTime() - t1) / 1_000_000;
        FileStats stats = files.result();
        DeletionVectors dvs = new DeletionVectors(dvFiles, deletedRows, dvBytes,
                stats.activeFiles() == 0 ? 0.0 : (double) dvFiles / stats.activeFiles());
        String tableId = snapshot.getMetadata().getId();
        Long kernelMillis = kernelLoadNanos.get() < 0 ? null : kernelLoadNanos.get() / 1_000_000;
        return new SnapshotFacts(snapshot.getVersion(), tableId, partitionColumns, properties, stats, dvs, snapshotMillis,
                after.requestsSince(before), scanMillis, kernelMillis);
    }

    /** The default engine with one more metrics reporter: Kernel's own snapshot timings. */
    private record ReportingEngine(Engine delegate, MetricsReporter reporter) implements Engine {
        @Override
        public ExpressionHandler getExpressionHandler() {
            return delegate.getExpressionHandler();
        }

        @Override
        public JsonHandler getJsonHandler() {
            return delegate.getJsonHandler();
        }

        @Override
        public FileSystemClient getFileSystemClient() {
            return delegate.getFileSystemClient();
        }

        @Override
        public ParquetHandler getParquetHandler() {
            return delegate.getParquetHandler();
        }

        @Override
        public List<MetricsReporter> getMetricsReporters() {
            return List.of(reporter);
        }
    }
}
