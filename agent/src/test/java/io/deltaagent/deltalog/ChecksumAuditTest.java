package io.deltaagent.deltalog;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.deltaagent.audit.SettingsThresholds;
import io.deltaagent.config.ReaderChoice;
import io.deltaagent.config.TableSettings;
import io.deltaagent.deltalog.checksum.ChecksumCheck;
import io.deltaagent.deltalog.checksum.ChecksumFile;
import io.deltaagent.deltalog.checksum.ChecksumMismatch;
import io.deltaagent.deltalog.storage.HadoopStorage;
import io.deltaagent.health.ReadCost;
import io.deltaagent.health.TableHealth;
import io.deltaagent.storage.TableLocation;
import io.deltaagent.testing.DescribeDetailTruth;
import io.deltaagent.testing.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Audits against the checksum files Spark wrote: agreeing, absent, corrupt and lying ones, in full reads and in
 * re-audits that applied new commits. The audit's own figures always stand and always equal Spark's.
 */
class ChecksumAuditTest {

    private static final Configuration CONF = new Configuration();
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Clock clock = Clock.fixed(Instant.now(), ZoneOffset.UTC);

    private TableHealth full(Path table, ReaderChoice choice) {
        return new LogHealthReader(new HadoopStorage(CONF), clock).read(TableLocation.of(table.toString()),
                SettingsThresholds.of(TableSettings.defaults().withReader(choice)));
    }

    static Path crc(Path table, long version) {
        return table.resolve("_delta_log").resolve(ChecksumFile.name(version));
    }

    /**
     * Rewrites a checksum file as another writer would, dropping the Hadoop local file system's own checksum of it
     * ({@code .N.crc.crc}), which would otherwise refuse the new bytes.
     */
    static void rewrite(Path table, long version, byte[] bytes) throws IOException {
        Path file = crc(table, version);
        Files.deleteIfExists(file.resolveSibling("." + file.getFileName() + ".crc"));
        Files.write(file, bytes);
    }

    @ParameterizedTest
    @ValueSource(strings = {"spark_partitioned_checkpoints", "spark_multipart_checkpoint", "spark_v2_checkpoint",
        "spark_deletion_vectors_partitioned", "spark_column_mapping_partitioned"})
    void withoutItsChecksumFileATableReadsTheSameAndSaysNothingWasChecked(String fixture, @TempDir Path tmp)
            throws IOException {
        Path table = Fixtures.copy(fixture, tmp);
        TableHealth with = full(table, ReaderChoice.AUTO);
        assertThat(with.checksum()).as("delta-spark wrote a checksum of the newest version").isNotNull();
        assertThat(with.checksum().status()).isEqualTo(ChecksumCheck.AGREES);
        TableHealth kernel = full(table, ReaderChoice.KERNEL);
        assertThat(kernel.checksum()).isEqualTo(with.checksum());

        Path file = crc(table, with.identity().version());
        Files.delete(file);
        Files.deleteIfExists(file.resolveSibling("." + file.getFileName() + ".crc"));
        TableHealth without = full(table, ReaderChoice.AUTO);

        assertThat(without.checksum()).isNull();
        assertThat(without.files()).isEqualTo(with.files());
        assertThat(without.identity()).isEqualTo(with.identity());
        DescribeDetailTruth.assertMatches(without, Fixtures.truth(fixture));
    }

    @Test
    void aTruncatedChecksumIsAWarningAndTheFullReadStands(@TempDir Path tmp) throws IOException {
        Path table = Fixtures.copy("spark_optimized", tmp);
        long version = Fixtures.truth("spark_optimized").get("version").asLong();
        byte[] bytes = Files.readAllBytes(crc(table, version));
        rewrite(table, version, java.util.Arrays.copyOf(bytes, bytes.length / 2));

        TableHealth h = full(table, ReaderChoice.AUTO);

        assertThat(h.checksum().status()).isEqualTo(ChecksumCheck.UNREADABLE);
        assertThat(h.checksum().note()).contains(ChecksumFile.name(version), "not valid JSON");
        assertThat(h.files().activeFiles()).isEqualTo(Fixtures.truth("spark_optimized").get("numFiles").asLong());
    }

    @Test
    void aChecksumThatDisagreesNamesTheFieldAndBothValues(@TempDir Path tmp) throws IOException {
        Path table = Fixtures.copy("spark_mixed_sizes", tmp);
        long version = Fixtures.truth("spark_mixed_sizes").get("version").asLong();
        long files = Fixtures.truth("spark_mixed_sizes").get("numFiles").asLong();
        ObjectNode crc = (ObjectNode) JSON.readTree(crc(table, version).toFile());
        crc.put("numFiles", files + 3);
        rewrite(table, version, JSON.writeValueAsBytes(crc));

        TableHealth h = full(table, ReaderChoice.AUTO);

        assertThat(h.checksum().status()).isEqualTo(ChecksumCheck.DISAGREES);
        assertThat(h.checksum().mismatches())
                .containsExactly(new ChecksumMismatch("numFiles", String.valueOf(files + 3), String.valueOf(files)));
        assertThat(h.files().activeFiles()).as("the log's figures stand").isEqualTo(files);
    }

    @Test
    void aReAuditChecksTheNewVersionsChecksumAndAnUnchangedOneKeepsItsCheck(@TempDir Path tmp) throws IOException {
        Path table = Fixtures.copy("spark_partitioned_checkpoints", tmp);
        IncrementalLogReader reader = new IncrementalLogReader(new HadoopStorage(CONF), clock, Duration.ofHours(24));
        TableLocation location = TableLocation.of(table.toString());
        var settings = SettingsThresholds.of(TableSettings.defaults());
        TableHealth first = reader.read(location, settings);
        long v = first.identity().version();
        assertThat(first.checksum().status()).isEqualTo(ChecksumCheck.AGREES);

        TableHealth unchanged = reader.read(location, settings);
        assertThat(unchanged.readCost().mode()).isEqualTo(ReadCost.UNCHANGED);
        assertThat(unchanged.checksum()).isEqualTo(first.checksum());

        // a writer's commit and its checksum, as delta-spark leaves them
        commit(table, v + 1, first, 1234, 0);
        TableHealth appended = reader.read(location, settings);
        assertThat(appended.readCost().mode()).isEqualTo(ReadCost.INCREMENTAL);
        assertThat(appended.checksum()).isEqualTo(new ChecksumCheck(v + 1, ChecksumCheck.AGREES, java.util.List.of(), null));
        assertThat(appended.checksum()).isEqualTo(full(table, ReaderChoice.AUTO).checksum());

        // one whose checksum disagrees with the log: the re-audit says so, as the full read does
        commit(table, v + 2, appended, 100, 7);
        TableHealth lying = reader.read(location, settings);
        TableHealth fresh = full(table, ReaderChoice.AUTO);
        assertThat(lying.readCost().mode()).isEqualTo(ReadCost.INCREMENTAL);
        assertThat(lying.checksum().mismatches()).containsExactly(new ChecksumMismatch("tableSizeBytes",
                String.valueOf(fresh.files().totalBytes() + 7), String.valueOf(fresh.files().totalBytes())));
        assertThat(lying.checksum()).isEqualTo(fresh.checksum());
        assertThat(lying.files()).isEqualTo(fresh.files());

        // a commit without one: nothing checked, nothing carried over from the older version
        commit(table, v + 3, lying, 100, -1);
        assertThat(reader.read(location, settings).checksum()).isNull();
    }

    /** Appends one file of {@code size} as commit {@code version}, with a checksum off by {@code lie} bytes (-1: none). */
    private void commit(Path table, long version, TableHealth before, long size, long lie) throws IOException {
        long now = System.currentTimeMillis();
        Files.writeString(table.resolve("_delta_log").resolve(String.format("%020d.json", version)),
                "{\"commitInfo\":{\"timestamp\":" + now + ",\"operation\":\"WRITE\"}}\n"
                        + "{\"add\":{\"path\":\"date=2024-01-01/part-" + version + ".parquet\",\"partitionValues\":"
                        + "{\"date\":\"2024-01-01\"},\"size\":" + size + ",\"modificationTime\":" + now
                        + ",\"dataChange\":true}}\n");
        if (lie < 0) {
            return;
        }
        ObjectNode crc = (ObjectNode) JSON.readTree(crc(table, before.identity().version()).toFile());
        crc.remove("allFiles");
        crc.put("numFiles", before.files().activeFiles() + 1);
        crc.put("tableSizeBytes", before.files().totalBytes() + size + lie);
        JSON.writeValue(crc(table, version).toFile(), crc);
    }
}
