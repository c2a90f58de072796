package io.deltaagent.deltalog;

import io.delta.standalone.DeltaLog;
import io.delta.standalone.Snapshot;
import io.delta.standalone.actions.AddFile;
import io.delta.standalone.actions.Metadata;
import io.delta.standalone.data.CloseableIterator;
import io.deltaagent.config.TableSettings;
import io.deltaagent.error.TableReadException;
import io.deltaagent.error.TableReadException.Kind;
import io.deltaagent.health.FileStats;
import io.deltaagent.health.FileStatsAccumulator;
import io.deltaagent.health.ReadCost;
import io.deltaagent.health.TableHealth;
import io.deltaagent.health.TableIdentity;
import io.deltaagent.health.WriterActivity;
import io.deltaagent.storage.RequestCounters;
import io.deltaagent.storage.TableLocation;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the snapshot and streams the active files with Delta Standalone (reader protocol version 1 only);
 * the log's shape, protocol and tombstones come from {@link LogInspection}.
 */
public final class StandaloneLogReader implements DeltaLogReader {

    private static final Logger LOG = LoggerFactory.getLogger(StandaloneLogReader.class);
    private static final int MAX_READER_VERSION = 1;

    private final Configuration conf;
    private final Clock clock;

    public StandaloneLogReader(Configuration conf, Clock clock) {
        this.conf = Objects.requireNonNull(conf, "conf");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public String name() {
        return "standalone";
    }

    @Override
    public TableHealth read(TableLocation table, TableSettings settings) {
        long auditStart = System.nanoTime();
        try {
            FileSystem fs = table.path().getFileSystem(conf);
            LogInspection log = LogInspection.inspect(conf, fs, table);
            ProtocolInfo protocol = log.protocol();
            if (protocol.minReaderVersion() > MAX_READER_VERSION) {
                throw new TableReadException(table.display(), Kind.UNSUPPORTED_PROTOCOL,
                        "unsupported protocol: the table needs " + protocol.describe()
                                + "; Delta Standalone reads reader version 1 only (column mapping needs 2, deletion vectors, "
                                + "v2 checkpoints and timestampNtz need 3)");
            }

            RequestCounters before = RequestCounters.of(fs);
            long t0 = System.nanoTime();
            Snapshot snapshot = DeltaLog.forTable(conf, table.path()).snapshot();
            long snapshotMillis = (System.nanoTime() - t0) / 1_000_000;
            RequestCounters after = RequestCounters.of(fs);
            LOG.debug("{}: storage counters during the snapshot build: {}", table.display(), after.changesSince(before));

            Metadata metadata = snapshot.getMetadata();
            Map<String, String> properties = metadata.getConfiguration();
            FileStatsAccumulator files = new FileStatsAccumulator(settings.effectiveSmallFileBytes(properties),
                    settings.minSmallFiles(), settings.worstPartitions(), metadata.getPartitionColumns());
            long t1 = System.nanoTime();
            try (CloseableIterator<AddFile> it = snapshot.scan().getFiles()) {
                while (it.hasNext()) {
                    AddFile add = it.next();
                    files.add(add.getSize(), add.getPartitionValues());
                }
            }
            long scanMillis = (System.nanoTime() - t1) / 1_000_000;
            FileStats fileStats = files.result();

            WriterActivity activity = HistoryReader.read(fs, log.listing(), settings.historyDepth(), clock.instant());
            TableIdentity identity = new TableIdentity(table.path().toString(), metadata.getId(), snapshot.getVersion(),
                    protocol.minReaderVersion(), protocol.minWriterVersion(), protocol.readerFeatures(),
                    protocol.writerFeatures(), metadata.getPartitionColumns(), MaintenanceProperties.select(properties));
            long auditMillis = (System.nanoTime() - auditStart) / 1_000_000;
            ReadCost cost = new ReadCost(snapshotMillis, scanMillis, auditMillis, after.listSince(before),
                    after.getSince(before), after.headSince(before), after.countsRequests() ? fs.getScheme() : null);
            LOG.info("{}: version {}, {} files, {} small, snapshot {} ms, scan {} ms", table.display(),
                    snapshot.getVersion(), fileStats.activeFiles(), fileStats.smallFiles(), snapshotMillis, scanMillis);
            return new TableHealth(table.display(), name(), clock.instant(), identity, fileStats, log.logStats(), cost,
                    activity, log.replay().tombstones());
        } catch (Exception e) {
            throw ReadFailures.classify(table.display(), e);
        }
    }

    /** The table properties that matter for maintenance. */
    static final class MaintenanceProperties {
        private MaintenanceProperties() {
        }

        static Map<String, String> select(Map<String, String> properties) {
            Map<String, String> out = new TreeMap<>();
            properties.forEach((k, v) -> {
                if (k.equals("delta.checkpointInterval") || k.equals("delta.logRetentionDuration")
                        || k.equals("delta.deletedFileRetentionDuration") || k.equals("delta.checkpointRetentionDuration")
                        || k.equals("delta.targetFileSize") || k.startsWith("delta.autoOptimize.")
                        || k.equals("delta.enableExpiredLogCleanup") || k.equals("delta.checkpointPolicy")
                        || k.equals("delta.enableDeletionVectors") || k.equals("delta.columnMapping.mode")) {
                    out.put(k, v);
                }
            });
            return out;
        }
    }
}
