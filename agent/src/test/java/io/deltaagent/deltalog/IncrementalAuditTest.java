package io.deltaagent.deltalog;

import static org.assertj.core.api.Assertions.assertThat;

import io.delta.standalone.DeltaLog;
import io.delta.standalone.Operation;
import io.delta.standalone.OptimisticTransaction;
import io.delta.standalone.actions.Action;
import io.delta.standalone.actions.AddFile;
import io.delta.standalone.actions.Metadata;
import io.delta.standalone.actions.RemoveFile;
import io.delta.standalone.types.LongType;
import io.delta.standalone.types.StringType;
import io.delta.standalone.types.StructField;
import io.delta.standalone.types.StructType;
import io.deltaagent.audit.SettingsThresholds;
import io.deltaagent.config.TableSettings;
import io.deltaagent.deltalog.storage.HadoopStorage;
import io.deltaagent.health.ReadCost;
import io.deltaagent.health.TableHealth;
import io.deltaagent.storage.TableLocation;
import io.deltaagent.testing.Fixtures;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Re-audits that apply only the new commits give exactly the figures of a full read of the same version, on tables
 * that change between audits (written by Spark and by Delta Standalone); whatever they cannot apply exactly is read
 * in full, and says why.
 */
class IncrementalAuditTest {

    private static final Configuration CONF = new Configuration();
    private static final StructType SCHEMA = new StructType(new StructField[] {
        new StructField("id", new LongType()), new StructField("date", new StringType())});

    private final Clock clock = Clock.fixed(Instant.parse("2026-12-04T12:00:00Z"), ZoneOffset.UTC);
    private final TableSettings settings = TableSettings.defaults();

    /** The incremental reader's audit must equal a fresh full read's in every figure but its cost and timing. */
    private TableHealth audit(IncrementalLogReader reader, Path table, String expectedMode) {
        TableLocation location = TableLocation.of(table.toString());
        TableHealth incremental = reader.read(location, SettingsThresholds.of(settings));
        TableHealth full = new LogHealthReader(new HadoopStorage(CONF), clock).read(location, SettingsThresholds.of(settings));
        assertThat(incremental.identity()).isEqualTo(full.identity());
        assertThat(incremental.files()).isEqualTo(full.files());
        assertThat(incremental.files().compactionCandidates()).isEqualTo(full.files().compactionCandidates());
        assertThat(incremental.log()).isEqualTo(full.log());
        assertThat(incremental.activity()).isEqualTo(full.activity());
        assertThat(incremental.tombstones()).isEqualTo(full.tombstones());
        assertThat(incremental.deletionVectors()).isEqualTo(full.deletionVectors());
        assertThat(incremental.checksum()).isEqualTo(full.checksum());
        if (expectedMode != null) {
            assertThat(incremental.readCost().mode()).as(String.valueOf(incremental.readCost().fullReason()))
                    .isEqualTo(expectedMode);
        }
        return incremental;
    }

    private IncrementalLogReader reader() {
        return new IncrementalLogReader(new HadoopStorage(CONF), clock, Duration.ofHours(24));
    }

    @Test
    void appendsOptimizeAndPropertyChangesOnASparkTableEqualAFullRead(@TempDir Path tmp) {
        Path table = Fixtures.copy("spark_partitioned_checkpoints", tmp);
        IncrementalLogReader reader = reader();
        TableHealth first = audit(reader, table, ReadCost.FULL);
        assertThat(first.readCost().fullReason()).isNull();
        audit(reader, table, ReadCost.UNCHANGED);

        DeltaLog log = DeltaLog.forTable(CONF, table.toString());
        setInterval(log, 1000); // no checkpoint from here on: only the commits are applied
        List<AddFile> added = append(log, "2024-03-01", 6, 1_000, 1);
        TableHealth appended = audit(reader, table, ReadCost.INCREMENTAL);
        assertThat(appended.files().activeFiles()).isEqualTo(first.files().activeFiles() + 6);

        // a compaction: five of the new files out (with size and partition values, as Spark and Standalone write
        // them), one larger and newer file in
        compact(log, added.subList(0, 5), "2024-03-01", 2);
        TableHealth compacted = audit(reader, table, ReadCost.INCREMENTAL);
        assertThat(compacted.files().activeFiles()).isEqualTo(appended.files().activeFiles() - 4);
        assertThat(compacted.tombstones().count()).isEqualTo(appended.tombstones().count() + 5);

        // Spark's files too: remove two of the checkpoint's, from a partition that gets a newer file in the same commit
        List<AddFile> fromCheckpoint = activeIn(log, null);
        compact(log, fromCheckpoint.subList(0, 2), partitionOf(fromCheckpoint.get(0)), 3);
        audit(reader, table, ReadCost.INCREMENTAL);

        setProperty(log, "delta.logRetentionDuration", "interval 60 days");
        TableHealth property = audit(reader, table, ReadCost.INCREMENTAL);
        assertThat(property.identity().properties()).containsEntry("delta.logRetentionDuration", "interval 60 days");
        audit(reader, table, ReadCost.UNCHANGED);
    }

    @Test
    void whatCannotBeAppliedExactlyIsReadInFullAndSaysWhy(@TempDir Path tmp) {
        Path table = tmp.resolve("t");
        DeltaLog log = DeltaLog.forTable(CONF, table.toString());
        OptimisticTransaction create = log.startTransaction();
        create.updateMetadata(Metadata.builder().schema(SCHEMA).partitionColumns(List.of("date"))
                .configuration(Map.of("delta.checkpointInterval", "1000")).build());
        create.commit(List.of(), new Operation(Operation.Name.CREATE_TABLE), "delta-agent-tests");
        List<AddFile> files = append(log, "2024-01-01", 4, 500, 10);
        files.addAll(append(log, "2024-01-02", 4, 500, 20));
        IncrementalLogReader reader = reader();
        audit(reader, table, ReadCost.FULL);

        // the newest file of a partition deleted with nothing newer added: which is newest now needs every file
        AddFile newest = files.get(3);
        commit(log, List.of(remove(newest, true)), Operation.Name.DELETE);
        TableHealth deleted = audit(reader, table, ReadCost.FULL);
        assertThat(deleted.readCost().fullReason()).contains("newest file of a partition");

        // a remove without size (no extendedFileMetadata)
        commit(log, List.of(remove(files.get(0), false)), Operation.Name.DELETE);
        TableHealth sizeless = audit(reader, table, ReadCost.FULL);
        assertThat(sizeless.readCost().fullReason()).contains("without a size");

        // a target file size on the table changes which files are small
        setProperty(log, "delta.targetFileSize", "1000");
        TableHealth target = audit(reader, table, ReadCost.FULL);
        assertThat(target.readCost().fullReason()).contains("target file size");

        // a new checkpoint (Standalone writes one at the table's interval)
        setInterval(log, 2);
        append(log, "2024-01-03", 2, 700, 30);
        TableHealth checkpointed = audit(reader, table, ReadCost.FULL);
        assertThat(checkpointed.readCost().fullReason()).contains("checkpoint");
        assertThat(checkpointed.log().lastCheckpointVersion()).isNotNull();

        // and from the newest checkpoint on, incremental again
        setInterval(log, 1000);
        audit(reader, table, null); // full when that commit made a checkpoint too
        append(log, "2024-01-03", 1, 900, 40);
        audit(reader, table, ReadCost.INCREMENTAL);
    }

    @Test
    void changedSettingsOrAnOldFullReadGiveAFullRead(@TempDir Path tmp) {
        Path table = Fixtures.copy("spark_partitioned_checkpoints", tmp);
        TableLocation location = TableLocation.of(table.toString());
        IncrementalLogReader reader = reader();
        reader.read(location, SettingsThresholds.of(settings));
        TableHealth other = reader.read(location, SettingsThresholds.of(settings.withReader(io.deltaagent.config.ReaderChoice.PROJECTED)));
        assertThat(other.readCost().mode()).isEqualTo(ReadCost.FULL);
        assertThat(other.readCost().fullReason()).contains("settings changed");

        IncrementalLogReader expiring = new IncrementalLogReader(new HadoopStorage(CONF), clock, Duration.ZERO);
        expiring.read(location, SettingsThresholds.of(settings));
        TableHealth again = expiring.read(location, SettingsThresholds.of(settings));
        assertThat(again.readCost().fullReason()).contains("full-audit-interval");

        // a baseline that does not fit the memory kept for them is not kept: full reads that say why
        IncrementalLogReader.Baselines tiny = new IncrementalLogReader.Baselines(1024);
        IncrementalLogReader cramped = new IncrementalLogReader(new HadoopStorage(CONF), clock, Duration.ofHours(24), tiny);
        cramped.read(location, SettingsThresholds.of(settings));
        TableHealth notKept = cramped.read(location, SettingsThresholds.of(settings));
        assertThat(notKept.readCost().mode()).isEqualTo(ReadCost.FULL);
        assertThat(notKept.readCost().fullReason()).contains("do not fit");
        assertThat(tiny.heldBytes()).isZero();

        IncrementalLogReader.Baselines roomy = new IncrementalLogReader.Baselines(64 << 20);
        new IncrementalLogReader(new HadoopStorage(CONF), clock, Duration.ofHours(24), roomy).read(location, SettingsThresholds.of(settings));
        assertThat(roomy.heldBytes()).isPositive().isLessThan(1 << 20);
    }

    private static List<AddFile> append(DeltaLog log, String date, int n, long size, long mtimeOffset) {
        List<AddFile> adds = new ArrayList<>();
        long now = System.currentTimeMillis() + mtimeOffset * 1000;
        for (int i = 0; i < n; i++) {
            adds.add(new AddFile("date=" + date + "/part-" + java.util.UUID.randomUUID() + ".parquet", Map.of("date", date),
                    size + i, now + i, true, null, null));
        }
        commit(log, new ArrayList<>(adds), Operation.Name.WRITE);
        return adds;
    }

    private static void compact(DeltaLog log, List<AddFile> inputs, String date, long mtimeOffset) {
        List<Action> actions = new ArrayList<>();
        long bytes = 0;
        for (AddFile a : inputs) {
            actions.add(remove(a, true));
            bytes += a.getSize();
        }
        actions.add(new AddFile("date=" + date + "/part-" + java.util.UUID.randomUUID() + ".parquet", Map.of("date", date),
                bytes, System.currentTimeMillis() + mtimeOffset * 100_000, false, null, null));
        commit(log, actions, Operation.Name.MANUAL_UPDATE);
    }

    private static RemoveFile remove(AddFile a, boolean extended) {
        return new RemoveFile(a.getPath(), Optional.of(System.currentTimeMillis()), true, extended,
                extended ? a.getPartitionValues() : null, extended ? Optional.of(a.getSize()) : Optional.empty(), null);
    }

    private static List<AddFile> activeIn(DeltaLog log, String date) {
        List<AddFile> out = new ArrayList<>(log.update().getAllFiles());
        out.sort(java.util.Comparator.comparing(AddFile::getPath));
        return out;
    }

    private static String partitionOf(AddFile a) {
        return a.getPartitionValues().values().iterator().next();
    }

    private static void setInterval(DeltaLog log, int interval) {
        setProperty(log, "delta.checkpointInterval", String.valueOf(interval));
    }

    private static void setProperty(DeltaLog log, String key, String value) {
        OptimisticTransaction txn = log.startTransaction();
        Metadata m = txn.metadata();
        Map<String, String> conf = new HashMap<>(m.getConfiguration());
        conf.put(key, value);
        txn.updateMetadata(m.copyBuilder().configuration(conf).build());
        txn.commit(List.of(), new Operation(Operation.Name.SET_TABLE_PROPERTIES), "delta-agent-tests");
    }

    private static void commit(DeltaLog log, List<? extends Action> actions, Operation.Name op) {
        OptimisticTransaction txn = log.startTransaction();
        txn.commit(new ArrayList<Action>(actions), new Operation(op), "delta-agent-tests");
    }
}
