package io.deltaagent.deltalog;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.deltaagent.audit.SettingsThresholds;
import io.deltaagent.bench.TableGenerator;
import io.deltaagent.config.ReaderChoice;
import io.deltaagent.config.TableSettings;
import io.deltaagent.deltalog.checksum.ChecksumCheck;
import io.deltaagent.deltalog.checksum.ChecksumFile;
import io.deltaagent.deltalog.checksum.ChecksumMismatch;
import io.deltaagent.deltalog.storage.HadoopStorage;
import io.deltaagent.deltalog.storage.LogStore;
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
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/**
 * The checksum-proven audit (issue 26): a one-shot audit whose commits after the checkpoint remove nothing reads the
 * checkpoint's adds without {@code add.path} and proves its figures with the version's checksum file, or falls back
 * to the full read. Every figure is compared with a full read of the same table without the shortcut (its checksum
 * file deleted) and with Spark's; the fallbacks are driven by real log states: a file added again, a lying checksum,
 * an unreadable one.
 */
class ChecksumProvenAuditTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String FIXTURE = "spark_partitioned_checkpoints"; // checkpoint 20, appends 21-24, 24.crc

    /** One audit, with the store it read through (its counters: opens and bytes per object). */
    private record Audit(TableHealth health, LogStore store) {
        long checkpointBytes() {
            return store.counters().bytesByObject().entrySet().stream().filter(e -> e.getKey().contains(".checkpoint."))
                    .mapToLong(Map.Entry::getValue).sum();
        }

        long opensOf(String name) {
            return store.counters().opensByObject().entrySet().stream().filter(e -> e.getKey().endsWith("/" + name))
                    .mapToLong(Map.Entry::getValue).sum();
        }
    }

    private static Audit audit(Path table) {
        LogHealthReader reader = new LogHealthReader(new HadoopStorage(new Configuration()), Clock.systemUTC());
        AtomicReference<LogStore> store = new AtomicReference<>();
        reader.storeOpened = store::set;
        try (reader) {
            TableHealth h = reader.read(TableLocation.of(table.toString()),
                    SettingsThresholds.of(TableSettings.defaults().withReader(ReaderChoice.AUTO)));
            return new Audit(h, store.get());
        }
    }

    /** The full read with paths of the same log: the table copied without its newest checksum file. */
    private static TableHealth fullRead(Path table, Path tmp) throws IOException {
        Path copy = tmp.resolve("without-crc");
        Fixtures.copyTree(table, copy);
        long version = audit(table).health().identity().version();
        deleteChecksum(copy, version);
        TableHealth full = audit(copy).health();
        assertThat(full.readCost().mode()).isEqualTo(ReadCost.FULL);
        assertThat(full.checksum()).isNull();
        return full;
    }

    @ParameterizedTest
    @ValueSource(strings = {FIXTURE, "spark_v2_checkpoint_parquet", "spark_clustered"})
    void appendOnlyCommitsAfterTheCheckpointAreProvenByTheChecksumWithTheFullReadsFigures(String fixture,
                                                                                        @TempDir Path tmp)
            throws IOException {
        Path table = Fixtures.copy(fixture, tmp);
        Audit proven = audit(table);
        TableHealth h = proven.health();

        assertThat(h.readCost().mode()).isEqualTo(ReadCost.CHECKSUM_PROVEN);
        assertThat(h.readCost().fullReason()).isNull();
        DescribeDetailTruth.assertMatches(h, Fixtures.truth(fixture));
        assertThat(proven.opensOf(ChecksumFile.name(h.identity().version())))
                .as("the checksum file is read once for the proof and the check").isEqualTo(1);
        TableHealth full = fullRead(table, tmp);
        assertThat(h.files()).isEqualTo(full.files());
        assertThat(h.deletionVectors()).isEqualTo(full.deletionVectors());
        assertThat(h.tombstones()).usingRecursiveComparison().ignoringFields("vacuumableBefore").isEqualTo(full.tombstones());
        assertThat(h.identity()).usingRecursiveComparison().ignoringFields("location").isEqualTo(full.identity());
    }

    /**
     * At 130,000 files the checkpoint (over 8 MiB) is read ranged, column chunk by column chunk: without add.path the
     * audit fetches fewer of its bytes. The generator writes delta-spark's checksum files (scripts/bench-gen).
     */
    @Test
    void aLargeCheckpointIsReadWithoutItsPathColumn(@TempDir Path tmp) throws IOException {
        Path table = tmp.resolve("t130k");
        int rc = new CommandLine(new TableGenerator()).execute("--out", table.toString(), "--files", "130000",
                "--versions", "25", "--checkpoints-kept", "1", "--compact-every", "0");
        assertThat(rc).isZero();

        Audit proven = audit(table);
        TableHealth full = fullRead(table, tmp);

        assertThat(proven.health().readCost().mode()).isEqualTo(ReadCost.CHECKSUM_PROVEN);
        assertThat(proven.health().files().activeFiles()).isEqualTo(130_000);
        assertThat(proven.health().files()).isEqualTo(full.files());
        assertThat(proven.health().checksum().status()).isEqualTo(ChecksumCheck.AGREES);
        Audit fullAudit = audit(tmp.resolve("without-crc"));
        long withoutPaths = proven.checkpointBytes();
        long withPaths = fullAudit.checkpointBytes();
        assertThat(withoutPaths).as("checkpoint bytes read: proven %d, full %d", withoutPaths, withPaths)
                .isLessThan(withPaths * 3 / 4);
    }

    @Test
    void aCommitAddingACheckpointedFileAgainIsCaughtByTheChecksumAndReadInFull(@TempDir Path tmp) throws IOException {
        Path table = Fixtures.copy(FIXTURE, tmp);
        JsonNode truth = Fixtures.truth(FIXTURE);
        long v = truth.get("version").asLong();
        // a file of the checkpoint added again without a remove (as a stats recompute or row-tracking backfill does):
        // the log replay keeps one entry per path, so the table still has the same files and bytes
        ObjectNode add = firstAdd(table, 15);
        ((ObjectNode) add.get("add")).put("modificationTime", System.currentTimeMillis()).put("dataChange", false);
        Files.writeString(commit(table, v + 1), "{\"commitInfo\":{\"timestamp\":" + System.currentTimeMillis()
                + ",\"operation\":\"COMPUTE STATS\"}}\n" + JSON.writeValueAsString(add) + "\n");
        ObjectNode crc = checksum(table, v);
        Files.write(ChecksumAuditTest.crc(table, v + 1), JSON.writeValueAsBytes(crc)); // the truth: nothing changed in size or count

        Audit a = audit(table);
        TableHealth h = a.health();

        assertThat(h.readCost().mode()).isEqualTo(ReadCost.FULL);
        assertThat(h.readCost().fullReason()).contains(ChecksumFile.name(v + 1), "numFiles: checksum "
                + truth.get("numFiles").asLong() + ", audit " + (truth.get("numFiles").asLong() + 1));
        assertThat(h.files().activeFiles()).isEqualTo(truth.get("numFiles").asLong());
        assertThat(h.files().totalBytes()).isEqualTo(truth.get("sizeInBytes").asLong());
        assertThat(h.checksum().status()).as("the full read agrees with the truthful checksum").isEqualTo(ChecksumCheck.AGREES);
        assertThat(h.files()).isEqualTo(fullRead(table, tmp).files());
        assertThat(a.opensOf(ChecksumFile.name(v + 1))).isEqualTo(1);
        // the fallback reads the adds once more: the small part fetched whole, then ranged with its paths
        assertThat(a.store().counters().opensByObject().entrySet().stream().filter(e -> e.getKey().contains(".checkpoint."))
                .mapToLong(Map.Entry::getValue).sum()).isEqualTo(2);
    }

    @Test
    void aChecksumThatLiesFallsBackAndIsReportedAsDisagreeing(@TempDir Path tmp) throws IOException {
        Path table = Fixtures.copy(FIXTURE, tmp);
        JsonNode truth = Fixtures.truth(FIXTURE);
        long v = truth.get("version").asLong();
        long files = truth.get("numFiles").asLong();
        ObjectNode crc = checksum(table, v);
        crc.put("numFiles", files - 1);
        ChecksumAuditTest.rewrite(table, v, JSON.writeValueAsBytes(crc));

        TableHealth h = audit(table).health();

        assertThat(h.readCost().mode()).isEqualTo(ReadCost.FULL);
        assertThat(h.readCost().fullReason()).contains("numFiles: checksum " + (files - 1) + ", audit " + files);
        assertThat(h.files().activeFiles()).as("the log's figures stand").isEqualTo(files);
        assertThat(h.checksum().status()).isEqualTo(ChecksumCheck.DISAGREES);
        assertThat(h.checksum().mismatches())
                .containsExactly(new ChecksumMismatch("numFiles", String.valueOf(files - 1), String.valueOf(files)));
        assertThat(h.files()).isEqualTo(fullRead(table, tmp).files());
    }

    @Test
    void anUnreadableChecksumFallsBackAndSaysWhy(@TempDir Path tmp) throws IOException {
        Path table = Fixtures.copy(FIXTURE, tmp);
        long v = Fixtures.truth(FIXTURE).get("version").asLong();
        byte[] bytes = Files.readAllBytes(ChecksumAuditTest.crc(table, v));
        ChecksumAuditTest.rewrite(table, v, java.util.Arrays.copyOf(bytes, bytes.length / 2));

        TableHealth h = audit(table).health();

        assertThat(h.readCost().mode()).isEqualTo(ReadCost.FULL);
        assertThat(h.readCost().fullReason()).contains(ChecksumFile.name(v), "not valid JSON");
        assertThat(h.checksum().status()).isEqualTo(ChecksumCheck.UNREADABLE);
        assertThat(h.files().activeFiles()).isEqualTo(Fixtures.truth(FIXTURE).get("numFiles").asLong());
        assertThat(h.files().totalBytes()).isEqualTo(Fixtures.truth(FIXTURE).get("sizeInBytes").asLong());
    }

    @Test
    void noChecksumARemoveAfterTheCheckpointOrADaemonBaselineReadThePaths(@TempDir Path tmp) throws IOException {
        // no checksum listed
        Path table = Fixtures.copy(FIXTURE, tmp);
        deleteChecksum(table, Fixtures.truth(FIXTURE).get("version").asLong());
        TableHealth none = audit(table).health();
        assertThat(none.readCost().mode()).isEqualTo(ReadCost.FULL);
        assertThat(none.readCost().fullReason()).isNull();
        DescribeDetailTruth.assertMatches(none, Fixtures.truth(FIXTURE));

        // a DELETE after the checkpoint: its removes need the checkpoint's paths (without them the removed files count)
        String deleted = "spark_column_mapping_partitioned";
        TableHealth removes = audit(Fixtures.table(deleted)).health();
        assertThat(removes.readCost().mode()).isEqualTo(ReadCost.FULL);
        assertThat(removes.readCost().fullReason()).isNull();
        DescribeDetailTruth.assertMatches(removes, Fixtures.truth(deleted));

        // the daemon's first audit keeps a baseline of every file's key: it reads the paths
        TableHealth first = new IncrementalLogReader(new HadoopStorage(new Configuration()), Clock.systemUTC(), Duration.ofHours(24))
                .read(TableLocation.of(Fixtures.table(FIXTURE).toString()), SettingsThresholds.of(TableSettings.defaults()));
        assertThat(first.readCost().mode()).isEqualTo(ReadCost.FULL);
        DescribeDetailTruth.assertMatches(first, Fixtures.truth(FIXTURE));
    }

    private static ObjectNode firstAdd(Path table, long version) throws IOException {
        for (String line : Files.readAllLines(commit(table, version))) {
            if (line.startsWith("{\"add\"")) {
                return (ObjectNode) JSON.readTree(line);
            }
        }
        throw new AssertionError("no add in commit " + version);
    }

    private static ObjectNode checksum(Path table, long version) throws IOException {
        ObjectNode crc = (ObjectNode) JSON.readTree(ChecksumAuditTest.crc(table, version).toFile());
        crc.remove("txnId");
        crc.remove("allFiles");
        return crc;
    }

    private static Path commit(Path table, long version) {
        return table.resolve("_delta_log").resolve(String.format("%020d.json", version));
    }

    private static void deleteChecksum(Path table, long version) throws IOException {
        Path file = ChecksumAuditTest.crc(table, version);
        Files.delete(file);
        Files.deleteIfExists(file.resolveSibling("." + file.getFileName() + ".crc"));
    }
}
