package io.deltaagent.spark4;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.deltaagent.config.ReaderChoice;
import io.deltaagent.config.TableSettings;
import io.deltaagent.deltalog.LogHealthReader;
import io.deltaagent.deltalog.storage.HadoopStorage;
import io.deltaagent.health.TableHealth;
import io.deltaagent.storage.TableLocation;
import io.deltaagent.testing.DescribeDetailTruth;
import io.deltaagent.testing.LogDirTruth;
import io.deltaagent.testing.Spark4FixtureTables;
import io.deltaagent.testing.Spark4Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * Every table Spark 4 with delta-spark 4.x wrote audits with the figures Spark itself gives (DESCRIBE DETAIL, the
 * latest version, Delta's tombstones) and the log objects on disk.
 */
class Spark4FixturesAuditTest {

    static final List<String> FIXTURES = Spark4FixtureTables.NAMES;

    private final LogHealthReader reader = new LogHealthReader(new HadoopStorage(new Configuration()), Clock.fixed(Instant.now(), ZoneOffset.UTC));

    private TableHealth audit(String fixture) {
        return audit(fixture, ReaderChoice.AUTO);
    }

    private TableHealth audit(String fixture, ReaderChoice choice) {
        return reader.read(TableLocation.of(Spark4Fixtures.table(fixture).toString()),
                io.deltaagent.audit.SettingsThresholds.of(TableSettings.defaults().withReader(choice)));
    }

    @ParameterizedTest
    @FieldSource("FIXTURES")
    void theAuditMatchesSpark4sOwnFigures(String fixture) {
        JsonNode truth = Spark4Fixtures.truth(fixture);
        TableHealth h = audit(fixture);

        DescribeDetailTruth.assertMatches(h, truth);
        LogDirTruth log = LogDirTruth.of(Spark4Fixtures.table(fixture));
        assertThat(h.log().objects()).isEqualTo(log.objects());
        assertThat(h.log().bytes()).isEqualTo(log.bytes());
    }

    /**
     * Variant columns change data files and their stats only: the projected reader (which never decodes stats) and
     * Delta Kernel both read the variant table, with the same figures (Spark's are checked above).
     */
    @Test
    void theVariantTableIsReadByTheProjectedReaderAndByKernelAlike() {
        TableHealth projected = audit(Spark4FixtureTables.VARIANT);
        TableHealth kernel = audit(Spark4FixtureTables.VARIANT, ReaderChoice.KERNEL);

        assertThat(projected.reader()).isEqualTo("projected");
        assertThat(projected.identity().readerFeatures()).contains("variantType");
        assertThat(kernel.reader()).isEqualTo("kernel");
        assertThat(kernel.identity()).isEqualTo(projected.identity());
        assertThat(kernel.files().activeFiles()).isEqualTo(projected.files().activeFiles());
        assertThat(kernel.files().totalBytes()).isEqualTo(projected.files().totalBytes());
    }

    @Test
    void theFixturesCarryTheFeaturesTheyAreNamedFor() throws IOException {
        assertThat(audit(Spark4FixtureTables.DELETION_VECTORS).identity().readerFeatures()).contains("deletionVectors");
        assertThat(audit(Spark4FixtureTables.DELETION_VECTORS).deletionVectors().filesWithDeletionVectors()).isPositive();
        // column mapping on reader version 2: a legacy reader feature, named among the writer features only
        assertThat(audit(Spark4FixtureTables.COLUMN_MAPPING).identity().writerFeatures()).contains("columnMapping");
        assertThat(audit(Spark4FixtureTables.TYPE_WIDENING).identity().readerFeatures()).contains("typeWidening");
        assertThat(audit(Spark4FixtureTables.DELTA4_WRITER_FEATURE).identity().writerFeatures()).contains("materializePartitionColumns");
        assertThat(audit(Spark4FixtureTables.IN_COMMIT_TIMESTAMPS).identity().writerFeatures()).contains("inCommitTimestamp");
        TableHealth v2 = audit(Spark4FixtureTables.V2_CHECKPOINT_SIDECARS);
        assertThat(v2.identity().readerFeatures()).contains("v2Checkpoint");
        assertThat(v2.log().lastCheckpointVersion()).isEqualTo(6);
        try (Stream<Path> sidecars = Files.list(Spark4Fixtures.table(Spark4FixtureTables.V2_CHECKPOINT_SIDECARS).resolve("_delta_log/_sidecars"))) {
            assertThat(sidecars.filter(p -> p.toString().endsWith(".parquet"))).isNotEmpty();
        }
    }
}
