package io.deltaagent.deltalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.deltaagent.audit.SettingsThresholds;
import io.deltaagent.config.ReaderChoice;
import io.deltaagent.config.TableSettings;
import io.deltaagent.deltalog.storage.HadoopStorage;
import io.deltaagent.error.TableReadException;
import io.deltaagent.health.PartitionStat;
import io.deltaagent.health.SizeBucket;
import io.deltaagent.health.TableHealth;
import io.deltaagent.storage.TableLocation;
import io.deltaagent.testing.DescribeDetailTruth;
import io.deltaagent.testing.Fixtures;
import io.deltaagent.testing.LogDirTruth;
import io.deltaagent.testing.StandaloneTables;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.convert.GroupRecordConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.hadoop.util.HadoopOutputFile;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.MessageColumnIO;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.schema.MessageType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The projected reader against the same ground truth as the library readers (DESCRIBE DETAIL, Delta's tombstones,
 * the files on disk, {@code _delta_log} itself) on every fixture, and against both libraries figure for figure.
 */
class ProjectedReaderTest {

    // one instant for every read: the vacuumable tombstones are counted against "now", and readers are compared
    private final LogHealthReader reader = new LogHealthReader(new HadoopStorage(new Configuration()), Clock.fixed(Instant.now(), ZoneOffset.UTC));

    private TableHealth audit(Path table, ReaderChoice choice) {
        return reader.read(TableLocation.of(table.toString()), SettingsThresholds.of(TableSettings.defaults().withReader(choice)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"spark_unpartitioned_nocheckpoint", "spark_partitioned_checkpoints", "spark_optimized",
        "spark_multipart_checkpoint", "spark_column_mapping", "spark_deletion_vectors", "spark_deletion_vectors_partitioned",
        "spark_v2_checkpoint", "spark_timestamp_ntz", "spark_column_mapping_partitioned", "spark_v2_checkpoint_parquet"})
    void everyFixtureMatchesDescribeDetailAndTheFilesOnDisk(String fixture) {
        JsonNode truth = Fixtures.truth(fixture);
        TableHealth h = audit(Fixtures.table(fixture), ReaderChoice.PROJECTED);

        assertThat(h.reader()).isEqualTo("projected");
        DescribeDetailTruth.assertMatches(h, truth);
        if (!h.identity().readerFeatures().contains("deletionVectors")) {
            // every data file on disk is active or a tombstone (with deletion vectors one file is both: removed with
            // its old vector, added with the new one)
            assertThat(h.files().activeFiles() + h.tombstones().count()).isEqualTo(truth.get("dataFilesOnDisk").asLong());
            assertThat(h.files().totalBytes() + h.tombstones().bytes()).isEqualTo(truth.get("dataBytesOnDisk").asLong());
        }
        assertThat(h.files().histogram().stream().mapToLong(SizeBucket::files).sum()).isEqualTo(h.files().activeFiles());
        assertThat(h.files().histogram().stream().mapToLong(SizeBucket::bytes).sum()).isEqualTo(h.files().totalBytes());
        LogDirTruth log = LogDirTruth.of(Fixtures.table(fixture));
        assertThat(h.log().objects()).isEqualTo(log.objects());
        assertThat(h.log().bytes()).isEqualTo(log.bytes());
        assertThat(h.log().commitFiles()).isEqualTo(log.commits());
        assertThat(h.deletionVectors()).isNotNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"spark_unpartitioned_nocheckpoint", "spark_partitioned_checkpoints", "spark_optimized",
        "spark_multipart_checkpoint", "spark_column_mapping", "spark_deletion_vectors", "spark_deletion_vectors_partitioned",
        "spark_v2_checkpoint", "spark_timestamp_ntz", "spark_column_mapping_partitioned", "spark_v2_checkpoint_parquet"})
    void everyFigureEqualsDeltaKernels(String fixture) {
        TableHealth projected = audit(Fixtures.table(fixture), ReaderChoice.PROJECTED);
        TableHealth kernel = audit(Fixtures.table(fixture), ReaderChoice.KERNEL);

        assertThat(projected.identity()).isEqualTo(kernel.identity());
        assertThat(projected.files()).isEqualTo(kernel.files());
        assertThat(projected.deletionVectors()).isEqualTo(kernel.deletionVectors());
        assertThat(projected.tombstones()).isEqualTo(kernel.tombstones());
        assertThat(projected.log()).isEqualTo(kernel.log());
        assertThat(projected.activity()).isEqualTo(kernel.activity());
    }

    @Test
    void deletionVectorsAreCountedFromTheLog() {
        TableHealth h = audit(Fixtures.table("spark_deletion_vectors"), ReaderChoice.PROJECTED);
        // 400 ids over 4 files; DELETE WHERE id % 10 = 0 marks 40 rows in every file
        assertThat(h.deletionVectors().filesWithDeletionVectors()).isEqualTo(4);
        assertThat(h.deletionVectors().deletedRows()).isEqualTo(40);
        assertThat(h.deletionVectors().fileShare()).isEqualTo(1.0);
    }

    @Test
    void v2CheckpointIsReadThroughItsSidecars() {
        TableHealth h = audit(Fixtures.table("spark_v2_checkpoint"), ReaderChoice.PROJECTED);
        assertThat(h.identity().readerFeatures()).contains("v2Checkpoint");
        assertThat(h.log().lastCheckpointVersion()).isEqualTo(10L);
        assertThat(h.log().lastCheckpointSidecars()).isPositive();
    }

    @Test
    void partitionValuesUnderColumnMappingAreKeyedByPhysicalNamesAndShownByLogicalOnes() throws IOException {
        Path table = Fixtures.table("spark_column_mapping_partitioned");
        // the fixture is what it claims: the checkpoint's partition values are keyed by a physical name, not "date"
        String commit = Files.readString(table.resolve("_delta_log/00000000000000000011.json"));
        assertThat(commit).contains("\"partitionValues\":{\"col-").doesNotContain("\"partitionValues\":{\"date\"");
        assertThat(table.resolve("_delta_log/00000000000000000010.checkpoint.parquet")).exists();

        TableHealth h = audit(table, ReaderChoice.PROJECTED);
        assertThat(h.files().partitions()).isEqualTo(3);
        assertThat(h.files().worstPartitions()).extracting(PartitionStat::partition)
                .containsExactlyInAnyOrder("date=2024-01-01", "date=2024-01-02", "date=2024-01-03");
        assertThat(h.files().worstPartitions()).allSatisfy(p -> assertThat(p.values()).containsOnlyKeys("date"));
    }

    @Test
    void v2CheckpointWithAParquetTopLevelFileIsReadThroughItsSidecars() throws IOException {
        Path table = Fixtures.table("spark_v2_checkpoint_parquet");
        try (var names = Files.list(table.resolve("_delta_log"))) {
            assertThat(names.map(n -> n.getFileName().toString()))
                    .anyMatch(n -> n.matches("00000000000000000010\\.checkpoint\\.[0-9a-f-]{36}\\.parquet"));
        }
        TableHealth h = audit(table, ReaderChoice.PROJECTED);
        assertThat(h.log().lastCheckpointVersion()).isEqualTo(10L);
        assertThat(h.log().lastCheckpointSidecars()).isPositive();
        assertThat(h.files().activeFiles()).isEqualTo(Fixtures.truth("spark_v2_checkpoint_parquet").get("numFiles").asLong());
    }

    @Test
    void allThreeReadersAgreeOnAStandaloneTableWithSeveralCheckpoints(@TempDir Path tmp) {
        Path table = tmp.resolve("standalone_many");
        // checkpoints at 5, 10, ... 35; 3 commits after the last, the last removing 250 checkpointed files
        StandaloneTables.Written written = StandaloneTables.write(table, 38, 100, 3 * 1024 * 1024, 7, 250);
        TableHealth projected = audit(table, ReaderChoice.PROJECTED);
        TableHealth standalone = audit(table, ReaderChoice.STANDALONE);
        TableHealth kernel = audit(table, ReaderChoice.KERNEL);

        assertThat(projected.files().activeFiles()).isEqualTo(written.files()).isEqualTo(3550);
        assertThat(projected.files().totalBytes()).isEqualTo(written.bytes());
        assertThat(projected.tombstones().count()).isEqualTo(written.removed());
        assertThat(projected.log().lastCheckpointVersion()).isEqualTo(35L);
        assertThat(projected.log().commitsSinceCheckpoint()).isEqualTo(3);
        assertThat(projected.files().partitions()).isEqualTo(7);
        for (TableHealth other : List.of(standalone, kernel)) {
            assertThat(projected.identity()).isEqualTo(other.identity());
            assertThat(projected.files()).isEqualTo(other.files());
            assertThat(projected.tombstones()).isEqualTo(other.tombstones());
            assertThat(projected.log()).isEqualTo(other.log());
        }
    }

    @Test
    void unknownReaderFeatureIsRefusedByName(@TempDir Path tmp) throws Exception {
        Path table = Fixtures.copy("spark_deletion_vectors", tmp);
        Files.writeString(table.resolve("_delta_log/00000000000000000003.json"),
                "{\"commitInfo\":{\"timestamp\":1700000000000,\"operation\":\"UPGRADE PROTOCOL\"}}\n"
                        + "{\"protocol\":{\"minReaderVersion\":3,\"minWriterVersion\":7,"
                        + "\"readerFeatures\":[\"deletionVectors\",\"futureFeature\"],"
                        + "\"writerFeatures\":[\"deletionVectors\",\"futureFeature\"]}}\n");
        assertThatThrownBy(() -> audit(table, ReaderChoice.PROJECTED))
                .isInstanceOfSatisfying(TableReadException.class, e -> {
                    assertThat(e.kind()).isEqualTo(TableReadException.Kind.UNSUPPORTED_PROTOCOL);
                    assertThat(e.getMessage()).startsWith(table + ": unsupported protocol: the table needs reader version 3 "
                            + "[deletionVectors, futureFeature]")
                            .contains("the projected reader reads reader versions up to 3")
                            .endsWith("it does not know [futureFeature] and refuses to guess what it changes");
                });
    }

    @Test
    void checkpointWithoutAnAddColumnIsRefusedNamingTheFile(@TempDir Path tmp) throws Exception {
        Path table = Fixtures.copy("spark_partitioned_checkpoints", tmp);
        Path checkpoint = table.resolve("_delta_log/00000000000000000020.checkpoint.parquet");
        rewriteWithoutColumn(checkpoint, "add");
        assertThatThrownBy(() -> audit(table, ReaderChoice.PROJECTED))
                .isInstanceOfSatisfying(TableReadException.class, e -> {
                    assertThat(e.kind()).isEqualTo(TableReadException.Kind.CORRUPT_LOG);
                    assertThat(e.getMessage()).isEqualTo(table + ": checkpoint _delta_log/00000000000000000020.checkpoint.parquet "
                            + "has no add column: it cannot hold the table's files (the Delta protocol requires one in every "
                            + "checkpoint part and sidecar)");
                });
    }

    /** Copies a Parquet file's rows without one top-level column (Spark's own rows, one column short). */
    private static void rewriteWithoutColumn(Path file, String column) throws Exception {
        Configuration conf = new Configuration();
        org.apache.hadoop.fs.Path in = new org.apache.hadoop.fs.Path(file.toUri());
        Path copy = file.resolveSibling("without-" + column + ".parquet");
        try (ParquetFileReader reader = ParquetFileReader.open(HadoopInputFile.fromPath(in, conf))) {
            MessageType schema = reader.getFooter().getFileMetaData().getSchema();
            MessageType kept = new MessageType(schema.getName(),
                    schema.getFields().stream().filter(f -> !f.getName().equals(column)).toList());
            reader.setRequestedSchema(kept);
            MessageColumnIO io = new ColumnIOFactory().getColumnIO(kept, schema);
            try (ParquetWriter<Group> writer = ExampleParquetWriter.builder(
                    HadoopOutputFile.fromPath(new org.apache.hadoop.fs.Path(copy.toUri()), conf)).withType(kept).build()) {
                PageReadStore pages;
                while ((pages = reader.readNextRowGroup()) != null) {
                    RecordReader<Group> records = io.getRecordReader(pages, new GroupRecordConverter(kept));
                    for (long i = 0; i < pages.getRowCount(); i++) {
                        writer.write(records.read());
                    }
                }
            }
        }
        Files.move(copy, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        dropHadoopChecksum(file);
    }

    /** Hadoop's local FileSystem checks a file against its hidden .crc: without it, the damage reaches Parquet. */
    private static void dropHadoopChecksum(Path file) throws java.io.IOException {
        Files.deleteIfExists(file.resolveSibling("." + file.getFileName() + ".crc"));
    }

    @Test
    void corruptCheckpointParquetIsACorruptLogNamingTheFile(@TempDir Path tmp) throws Exception {
        Path table = Fixtures.copy("spark_partitioned_checkpoints", tmp);
        Path checkpoint = table.resolve("_delta_log/00000000000000000020.checkpoint.parquet");
        byte[] bytes = Files.readAllBytes(checkpoint);
        // keep the footer (so the file still opens) and scramble the column data
        for (int i = 4; i < bytes.length / 2; i++) {
            bytes[i] = (byte) (bytes[i] ^ 0x5A);
        }
        Files.write(checkpoint, bytes);
        dropHadoopChecksum(checkpoint);
        assertThatThrownBy(() -> audit(table, ReaderChoice.PROJECTED))
                .isInstanceOfSatisfying(TableReadException.class, e -> {
                    assertThat(e.kind()).isEqualTo(TableReadException.Kind.CORRUPT_LOG);
                    assertThat(e.getMessage()).startsWith(table + ": cannot read checkpoint _delta_log/00000000000000000020.checkpoint.parquet: ");
                });
    }
}
