package io.deltaagent.deltalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.deltaagent.audit.SettingsThresholds;
import io.deltaagent.config.ReaderChoice;
import io.deltaagent.config.TableSettings;
import io.deltaagent.deltalog.storage.HadoopStorage;
import io.deltaagent.error.TableReadException;
import io.deltaagent.health.TableHealth;
import io.deltaagent.policy.Breach;
import io.deltaagent.policy.BreachDetector;
import io.deltaagent.policy.MaintenanceAction;
import io.deltaagent.storage.TableLocation;
import io.deltaagent.testing.DescribeDetailTruth;
import io.deltaagent.testing.Fixtures;
import io.deltaagent.testing.LogDirTruth;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Delta Kernel reads the modern tables; on reader-version-1 tables both libraries agree on every common figure. */
class KernelReaderTest {

    // one instant for every read: the vacuumable tombstones are counted against "now", and readers are compared
    private final LogHealthReader reader = new LogHealthReader(new HadoopStorage(new Configuration()), Clock.fixed(Instant.now(), ZoneOffset.UTC));

    private TableHealth audit(String fixture, ReaderChoice choice) {
        return reader.read(TableLocation.of(Fixtures.table(fixture).toString()), SettingsThresholds.of(TableSettings.defaults().withReader(choice)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"spark_column_mapping", "spark_deletion_vectors", "spark_deletion_vectors_partitioned",
        "spark_v2_checkpoint", "spark_timestamp_ntz", "spark_column_mapping_partitioned", "spark_v2_checkpoint_parquet"})
    void kernelReadsModernTablesAndMatchesDescribeDetail(String fixture) {
        JsonNode truth = Fixtures.truth(fixture);
        TableHealth h = audit(fixture, ReaderChoice.KERNEL);

        assertThat(h.reader()).isEqualTo("kernel");
        DescribeDetailTruth.assertMatches(h, truth);
        assertThat(h.deletionVectors()).isNotNull();
        assertThat(h.readCost().libraryLoadMillis()).as("Kernel's own snapshot timing").isNotNull();
        LogDirTruth log = LogDirTruth.of(Fixtures.table(fixture));
        assertThat(h.log().objects()).isEqualTo(log.objects());
        assertThat(h.log().bytes()).isEqualTo(log.bytes());
    }

    @ParameterizedTest
    @ValueSource(strings = {"spark_column_mapping", "spark_deletion_vectors", "spark_deletion_vectors_partitioned",
        "spark_v2_checkpoint", "spark_timestamp_ntz", "spark_column_mapping_partitioned", "spark_v2_checkpoint_parquet"})
    void forcingStandaloneOnModernTablesIsAClearUnsupportedProtocolError(String fixture) {
        assertThatThrownBy(() -> audit(fixture, ReaderChoice.STANDALONE))
                .isInstanceOfSatisfying(TableReadException.class, e -> {
                    assertThat(e.kind()).isEqualTo(TableReadException.Kind.UNSUPPORTED_PROTOCOL);
                    assertThat(e.getMessage()).startsWith(Fixtures.table(fixture) + ": unsupported protocol: the table needs reader version ")
                            .contains("Delta Standalone reads reader version 1 only");
                });
    }

    @Test
    void deletionVectorsAreCountedAndCallForOptimize() {
        TableHealth h = audit("spark_deletion_vectors", ReaderChoice.KERNEL);
        // 400 ids over 4 files; DELETE WHERE id % 10 = 0 marks 40 rows in every file
        assertThat(h.identity().readerFeatures()).contains("deletionVectors");
        assertThat(h.deletionVectors().filesWithDeletionVectors()).isEqualTo(4);
        assertThat(h.deletionVectors().deletedRows()).isEqualTo(40);
        assertThat(h.deletionVectors().fileShare()).isEqualTo(1.0);
        List<Breach> breaches = new BreachDetector().detect(h, TableSettings.defaults());
        assertThat(breaches).anySatisfy(b -> {
            assertThat(b.threshold()).isEqualTo("max-deletion-vector-file-share");
            assertThat(b.action()).isEqualTo(MaintenanceAction.OPTIMIZE);
            assertThat(b.detail()).contains("4 of 4 files carry deletion vectors (40 deleted rows");
        });
    }

    @Test
    void v2CheckpointIsRecognisedWithItsSidecars() {
        TableHealth h = audit("spark_v2_checkpoint", ReaderChoice.KERNEL);
        assertThat(h.identity().readerFeatures()).contains("v2Checkpoint");
        assertThat(h.log().lastCheckpointVersion()).isEqualTo(10L);
        assertThat(h.log().lastCheckpointSidecars()).isEqualTo(sidecarFiles(Fixtures.table("spark_v2_checkpoint"))).isPositive();
        assertThat(h.log().commitsSinceCheckpoint()).isEqualTo(h.identity().version() - 10);
    }

    private static long sidecarFiles(Path table) {
        try (var files = java.nio.file.Files.list(table.resolve("_delta_log/_sidecars"))) {
            return files.filter(p -> p.getFileName().toString().endsWith(".parquet")).count();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"spark_unpartitioned_nocheckpoint", "spark_partitioned_checkpoints", "spark_optimized",
        "spark_multipart_checkpoint"})
    void bothReadersAgreeOnReaderVersionOneTables(String fixture) {
        TableHealth standalone = audit(fixture, ReaderChoice.STANDALONE);
        TableHealth kernel = audit(fixture, ReaderChoice.KERNEL);
        TableHealth auto = audit(fixture, ReaderChoice.AUTO);

        assertThat(standalone.reader()).isEqualTo("standalone");
        assertThat(kernel.reader()).isEqualTo("kernel");
        assertThat(auto.reader()).isEqualTo("projected");
        assertThat(kernel.identity()).isEqualTo(standalone.identity());
        assertThat(kernel.files()).isEqualTo(standalone.files());
        assertThat(kernel.log()).isEqualTo(standalone.log());
        assertThat(kernel.tombstones()).isEqualTo(standalone.tombstones());
        assertThat(kernel.activity()).isEqualTo(standalone.activity());
        assertThat(auto.files()).isEqualTo(standalone.files());
        assertThat(kernel.deletionVectors().filesWithDeletionVectors()).isZero();
        assertThat(standalone.deletionVectors()).isNull();
    }

    @Test
    void kernelAloneStreamsAMillionFileShapeOfTableInBatches() {
        // a sanity check of the batch loop on the largest fixture; the memory bound is the benchmark's job (issue 8)
        Path table = Fixtures.table("spark_partitioned_checkpoints");
        TableHealth h = reader.read(TableLocation.of(table.toString()), SettingsThresholds.of(TableSettings.defaults().withReader(ReaderChoice.KERNEL)));
        assertThat(h.files().partitions()).isEqualTo(3);
        assertThat(h.files().worstPartitions()).hasSize(3);
    }
}
