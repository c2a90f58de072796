package io.deltaagent.deltalog;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.deltaagent.audit.SettingsThresholds;
import io.deltaagent.config.OptionValues;
import io.deltaagent.config.ReaderChoice;
import io.deltaagent.config.TableOptions;
import io.deltaagent.config.TableSettings;
import io.deltaagent.deltalog.storage.HadoopStorage;
import io.deltaagent.health.PartitionStat;
import io.deltaagent.health.SizeBucket;
import io.deltaagent.health.TableHealth;
import io.deltaagent.storage.TableLocation;
import io.deltaagent.testing.Fixtures;
import io.deltaagent.testing.LogDirTruth;
import io.deltaagent.testing.StandaloneTables;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The audit's figures against ground truth: Spark's DESCRIBE DETAIL, Delta's own tombstones, and the files on disk. */
class StandaloneLogReaderTest {
    // the Delta Standalone library forced; KernelReaderTest covers the other and their agreement

    // one instant for every read: the vacuumable tombstones are counted against "now", and readers are compared
    private final LogHealthReader reader = new LogHealthReader(new HadoopStorage(new Configuration()), Clock.fixed(Instant.now(), ZoneOffset.UTC));

    private TableHealth audit(Path table) {
        return reader.read(TableLocation.of(table.toString()), SettingsThresholds.of(TableSettings.defaults().withReader(ReaderChoice.STANDALONE)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"spark_unpartitioned_nocheckpoint", "spark_partitioned_checkpoints", "spark_optimized",
        "spark_multipart_checkpoint"})
    void filesBytesVersionAndTombstonesEqualSparksOwnFigures(String fixture) {
        JsonNode truth = Fixtures.truth(fixture);
        TableHealth h = audit(Fixtures.table(fixture));

        assertThat(h.reader()).isEqualTo("standalone");
        assertThat(h.identity().version()).isEqualTo(truth.get("version").asLong());
        assertThat(h.files().activeFiles()).isEqualTo(truth.get("numFiles").asLong());
        assertThat(h.files().totalBytes()).isEqualTo(truth.get("sizeInBytes").asLong());
        assertThat(h.identity().minReaderVersion()).isEqualTo(truth.get("minReaderVersion").asInt());
        assertThat(h.identity().minWriterVersion()).isEqualTo(truth.get("minWriterVersion").asInt());
        java.util.List<String> partitionColumns = new java.util.ArrayList<>();
        truth.get("partitionColumns").forEach(n -> partitionColumns.add(n.asText()));
        assertThat(h.identity().partitionColumns()).containsExactlyElementsOf(partitionColumns);
        assertThat(h.tombstones().count()).isEqualTo(truth.get("tombstones").asLong());
        assertThat(h.tombstones().bytes()).isEqualTo(truth.get("tombstoneBytes").asLong());
        // every data file on disk is either active or a tombstone
        assertThat(h.files().activeFiles() + h.tombstones().count()).isEqualTo(truth.get("dataFilesOnDisk").asLong());
        assertThat(h.files().totalBytes() + h.tombstones().bytes()).isEqualTo(truth.get("dataBytesOnDisk").asLong());

        long histogramFiles = h.files().histogram().stream().mapToLong(SizeBucket::files).sum();
        long histogramBytes = h.files().histogram().stream().mapToLong(SizeBucket::bytes).sum();
        assertThat(histogramFiles).isEqualTo(h.files().activeFiles());
        assertThat(histogramBytes).isEqualTo(h.files().totalBytes());
        assertThat(h.files().averageBytes()).isEqualTo(h.files().totalBytes() / h.files().activeFiles());
    }

    @ParameterizedTest
    @ValueSource(strings = {"spark_unpartitioned_nocheckpoint", "spark_partitioned_checkpoints", "spark_optimized",
        "spark_multipart_checkpoint"})
    void logFiguresEqualWhatIsInDeltaLog(String fixture) {
        Path table = Fixtures.table(fixture);
        LogDirTruth truth = LogDirTruth.of(table);
        TableHealth h = audit(table);

        assertThat(h.log().objects()).isEqualTo(truth.objects());
        assertThat(h.log().bytes()).isEqualTo(truth.bytes());
        assertThat(h.log().commitFiles()).isEqualTo(truth.commits());
        assertThat(h.log().checkpointFiles()).isEqualTo(truth.checkpointFiles().size());
    }

    @Test
    void partitionedTableWithTwoCheckpoints() throws Exception {
        Path table = Fixtures.table("spark_partitioned_checkpoints");
        TableHealth h = audit(table);

        assertThat(h.log().lastCheckpointVersion()).isEqualTo(20L);
        assertThat(h.log().lastCheckpointFromHint()).isEqualTo(20L);
        assertThat(h.log().lastCheckpointParts()).isEqualTo(1);
        assertThat(h.log().lastCheckpointBytes())
                .isEqualTo(Files.size(table.resolve("_delta_log/00000000000000000020.checkpoint.parquet")));
        assertThat(h.log().commitsSinceCheckpoint()).isEqualTo(4); // versions 21..24
        assertThat(h.files().partitions()).isEqualTo(3);
        assertThat(h.files().worstPartitions()).hasSize(3);
        assertThat(h.files().worstPartitions()).extracting(PartitionStat::files).containsOnly(50L);
        assertThat(h.files().worstPartitions().stream().mapToLong(PartitionStat::bytes).sum()).isEqualTo(h.files().totalBytes());
        assertThat(h.files().worstPartitions().get(0).partition()).startsWith("date=2024-01-0");
        // every file is tiny: all are small under the default 64 MiB threshold
        assertThat(h.files().smallFiles()).isEqualTo(150);
        assertThat(h.files().smallFileThresholdBytes()).isEqualTo(64L * 1024 * 1024);
        assertThat(h.files().maxSmallFilesInPartition()).isEqualTo(50);
        assertThat(h.files().partitionsWithSmallFiles()).isEqualTo(3);
        assertThat(h.activity().commitsLast24h()).isEqualTo(25);
        assertThat(h.activity().filesAddedLast24h()).isEqualTo(150);
        assertThat(h.activity().historyComplete()).isTrue();
        assertThat(h.activity().lastWrite().version()).isEqualTo(24);
        assertThat(h.activity().lastOptimize()).isNull();
        assertThat(h.readCost().snapshotMillis()).isPositive();
        assertThat(h.readCost().listRequests()).as("the local FileSystem counts no requests").isNull();
    }

    @Test
    void tableWithoutCheckpointReplaysEveryCommit() {
        TableHealth h = audit(Fixtures.table("spark_unpartitioned_nocheckpoint"));
        assertThat(h.log().lastCheckpointVersion()).isNull();
        assertThat(h.log().commitsSinceCheckpoint()).isEqualTo(5);
        assertThat(h.files().partitions()).isZero();
        assertThat(h.files().worstPartitions()).isEmpty();
    }

    @Test
    void multiPartCheckpointIsReadWithAllItsParts() {
        Path table = Fixtures.table("spark_multipart_checkpoint");
        TableHealth h = audit(table);
        assertThat(h.log().lastCheckpointVersion()).isEqualTo(10L);
        assertThat(h.log().lastCheckpointParts()).isEqualTo(LogDirTruth.of(table).checkpointBytes(10)).isGreaterThan(1);
        assertThat(h.log().commitsSinceCheckpoint()).isZero();
    }

    @Test
    void optimizeShowsInHistoryAndLeavesTombstones() {
        TableHealth h = audit(Fixtures.table("spark_optimized"));
        assertThat(h.activity().lastOptimize()).isNotNull();
        assertThat(h.activity().lastOptimize().version()).isEqualTo(4);
        assertThat(h.tombstones().count()).isEqualTo(40);
        assertThat(h.tombstones().oldestDeletion()).isNotNull();
        assertThat(h.files().activeFiles()).isEqualTo(1);
    }

    @Test
    void tableWrittenByDeltaStandalone(@TempDir Path tmp) {
        Path table = tmp.resolve("standalone_partitioned");
        StandaloneTables.Written written = StandaloneTables.write(table, 12, 6, 3 * 1024 * 1024, 2, 5);
        TableHealth h = audit(table);

        assertThat(h.identity().version()).isEqualTo(written.version()).isEqualTo(12);
        assertThat(h.files().activeFiles()).isEqualTo(written.files()).isEqualTo(67);
        assertThat(h.files().totalBytes()).isEqualTo(written.bytes());
        assertThat(h.tombstones().count()).isEqualTo(written.removed());
        assertThat(h.tombstones().bytes()).isEqualTo(written.removedBytes());
        assertThat(h.identity().partitionColumns()).containsExactly("date");
        assertThat(h.identity().properties()).containsEntry("delta.checkpointInterval", "5");
        assertThat(h.files().partitions()).isEqualTo(2);
        assertThat(h.log().lastCheckpointVersion()).isEqualTo(10L);
        assertThat(h.log().commitsSinceCheckpoint()).isEqualTo(2);
        // 3 MiB files: in the 1-8 MiB bucket, median of 3 MiB + 0..5 bytes
        assertThat(h.files().histogram().get(1).files()).isEqualTo(67);
        assertThat(h.files().medianBytes()).isBetween(3L * 1024 * 1024, 3L * 1024 * 1024 + 5);
        assertThat(h.activity().lastWrite().operation()).isEqualTo("WRITE");
    }

    @Test
    void tableTargetFileSizeMovesTheSmallFileThreshold(@TempDir Path tmp) {
        Path table = tmp.resolve("t");
        StandaloneTables.write(table, 2, 3, 10 * 1024 * 1024, 0, 0);
        TableSettings settings = TableSettings.from(OptionValues.builtIn()
                .with(TableOptions.TARGET_FILE_SIZE, io.deltaagent.config.ByteSize.parse("16MiB")), false);
        TableHealth h = reader.read(TableLocation.of(table.toString()), SettingsThresholds.of(settings.withReader(ReaderChoice.STANDALONE)));
        assertThat(h.files().smallFileThresholdBytes()).isEqualTo(8L * 1024 * 1024);
        assertThat(h.files().smallFiles()).isZero();
    }
}
