package io.deltaagent.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.delta.kernel.Snapshot;
import io.delta.kernel.Table;
import io.delta.kernel.data.FilteredColumnarBatch;
import io.delta.kernel.data.Row;
import io.delta.kernel.defaults.engine.DefaultEngine;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.utils.CloseableIterator;
import io.delta.standalone.DeltaLog;
import io.delta.standalone.actions.AddFile;
import io.deltaagent.testing.CliRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The generated tables read as written in Delta Standalone, Delta Kernel and the agent (Spark: BenchScriptsTest). */
class TableGeneratorTest {

    @TempDir
    Path tmp;

    private static GeneratorSettings settings(Path out, int files, int versions, int since, boolean partitioned,
                                              int compactEvery, boolean data) {
        return new GeneratorSettings(out, files, versions, 10, since, 3, partitioned, compactEvery,
                compactEvery == 0 ? 0 : 5, data, 50, 7, Instant.parse("2026-11-01T00:00:00Z"),
                GeneratorSettings.Checksums.ALL);
    }

    private static JsonNode generate(GeneratorSettings s) throws Exception {
        return TableGenerator.generate(new SyntheticTable(s), s.out());
    }

    @Test
    void partitionedHistoryWithCompactionsReadsTheSameInEveryReader() throws Exception {
        Path table = tmp.resolve("t");
        JsonNode summary = generate(settings(table, 500, 95, 3, true, 20, false));

        assertThat(summary.path("activeFiles").asLong()).isEqualTo(500);
        assertThat(summary.path("tombstones").asLong()).isPositive();
        assertThat(summary.path("lastCheckpointVersion").asInt()).isEqualTo(90);
        assertThat(Files.readString(table.resolve("_delta_log/_last_checkpoint"))).startsWith("{\"version\":90,");
        assertThat(table.resolve("_delta_log/00000000000000000070.checkpoint.parquet")).exists();
        assertThat(table.resolve("_delta_log/00000000000000000060.checkpoint.parquet")).doesNotExist();

        List<AddFile> standalone = DeltaLog.forTable(new Configuration(), table.toString()).snapshot().getAllFiles();
        assertThat(standalone).hasSize(500);
        Set<String> paths = new HashSet<>();
        for (AddFile f : standalone) {
            paths.add(f.getPath());
            assertThat(f.getPath()).startsWith("date=" + f.getPartitionValues().get("date") + "/");
        }
        assertThat(paths).hasSize(500);
        assertThat(kernelFiles(table)).isEqualTo(500);

        JsonNode health = CliRun.of("audit", "--format", "json", "--reader", "kernel", table.toString())
                .json().path("tables").path(0).path("health");
        assertThat(health.path("identity").path("version").asLong()).isEqualTo(95);
        assertThat(health.path("files").path("activeFiles").asLong()).isEqualTo(500);
        assertThat(health.path("tombstones").path("count").asLong()).isEqualTo(summary.path("tombstones").asLong());
        assertThat(health.path("log").path("commitsSinceCheckpoint").asLong()).isEqualTo(5);
        assertThat(health.path("files").path("partitions").asLong()).isPositive();
        assertThat(health.path("checksum").path("status").asText()).isEqualTo("agrees");
    }

    /**
     * A checksum file per version, as delta-spark writes them: each states the files and bytes Delta Standalone reads at
     * that version (compactions included), and the agent's audit of the newest one reads the checkpoint without its
     * paths, proven by it.
     */
    @Test
    void everyVersionHasTheChecksumFileOfItsSnapshot() throws Exception {
        Path table = tmp.resolve("crc");
        JsonNode summary = generate(settings(table, 500, 95, 3, true, 20, false));
        DeltaLog log = DeltaLog.forTable(new Configuration(), table.toString());
        for (long v : List.of(0L, 19L, 20L, 21L, 80L, 95L)) {
            JsonNode crc = new com.fasterxml.jackson.databind.ObjectMapper().readTree(
                    table.resolve("_delta_log").resolve(String.format("%020d.crc", v)).toFile());
            List<AddFile> files = log.getSnapshotForVersionAsOf(v).getAllFiles();
            assertThat(crc.path("numFiles").asLong()).as("version %d", v).isEqualTo(files.size());
            assertThat(crc.path("tableSizeBytes").asLong()).as("version %d", v)
                    .isEqualTo(files.stream().mapToLong(AddFile::getSize).sum());
            assertThat(crc.path("metadata").path("id").asText()).isEqualTo(log.getSnapshotForVersionAsOf(v).getMetadata().getId());
            assertThat(crc.path("protocol").path("minWriterVersion").asInt()).isEqualTo(2);
        }
        assertThat(summary.path("tableSizeBytes").asLong()).isEqualTo(
                log.snapshot().getAllFiles().stream().mapToLong(AddFile::getSize).sum());

        JsonNode health = CliRun.of("audit", "--format", "json", table.toString()).json().path("tables").path(0).path("health");
        assertThat(health.path("readCost").path("mode").asText()).isEqualTo("checksum-proven");
        assertThat(health.path("checksum").path("status").asText()).isEqualTo("agrees");
        assertThat(health.path("files").path("activeFiles").asLong()).isEqualTo(500);

        Path none = tmp.resolve("none");
        GeneratorSettings s = settings(none, 50, 15, 3, true, 0, false);
        TableGenerator.generate(new SyntheticTable(new GeneratorSettings(s.out(), s.activeFiles(), s.latestVersion(),
                s.checkpointInterval(), s.commitsSinceCheckpoint(), s.checkpointsKept(), s.partitioned(), s.compactEvery(),
                s.compactWindow(), s.data(), s.rowsPerFile(), s.seed(), s.endTime(), GeneratorSettings.Checksums.NONE)), none);
        try (java.util.stream.Stream<Path> files = Files.list(none.resolve("_delta_log"))) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".crc"));
        }
    }

    @Test
    void staleCheckpointAndUnpartitionedTableReplayTheCommitsAfterIt() throws Exception {
        Path table = tmp.resolve("stale");
        generate(settings(table, 200, 120, 70, false, 0, false));

        JsonNode health = CliRun.of("audit", "--format", "json", "--reader", "standalone", table.toString())
                .json().path("tables").path(0).path("health");
        assertThat(health.path("log").path("lastCheckpointVersion").asLong()).isEqualTo(50);
        assertThat(health.path("log").path("commitsSinceCheckpoint").asLong()).isEqualTo(70);
        assertThat(health.path("files").path("activeFiles").asLong()).isEqualTo(200);
        assertThat(health.path("identity").path("partitionColumns")).isEmpty();
        assertThat(kernelFiles(table)).isEqualTo(200);
    }

    @Test
    void sameSeedSameBytes() throws Exception {
        Path a = tmp.resolve("a");
        Path b = tmp.resolve("b");
        generate(settings(a, 300, 45, 2, true, 20, false));
        generate(settings(b, 300, 45, 2, true, 20, false));
        for (String name : List.of("00000000000000000040.json", "00000000000000000040.checkpoint.parquet", "_last_checkpoint",
                "00000000000000000045.crc")) {
            assertThat(Files.readAllBytes(a.resolve("_delta_log").resolve(name)))
                    .as(name).isEqualTo(Files.readAllBytes(b.resolve("_delta_log").resolve(name)));
        }
        assertThat(Files.getLastModifiedTime(a.resolve("_delta_log/00000000000000000045.json")).toInstant())
                .isEqualTo(Instant.parse("2026-11-01T00:00:00Z"));
    }

    @Test
    void dataFilesExistWithTheSizeTheLogRecords() throws Exception {
        Path table = tmp.resolve("data");
        generate(settings(table, 40, 8, 0, true, 0, true));
        List<AddFile> files = DeltaLog.forTable(new Configuration(), table.toString()).snapshot().getAllFiles();
        assertThat(files).hasSize(40);
        for (AddFile f : files) {
            assertThat(Files.size(table.resolve(f.getPath()))).isEqualTo(f.getSize());
            assertThat(f.getStats()).contains("\"numRecords\":50");
        }
    }

    @Test
    void badSettingsAreRefusedWithTheOptionAtFault() {
        assertThatThrownBy(() -> settings(tmp.resolve("x"), 0, 10, 0, true, 0, false))
                .hasMessageContaining("--files must be at least 1");
        assertThatThrownBy(() -> settings(tmp.resolve("x"), 10, 10, 11, true, 0, false))
                .hasMessageContaining("--commits-since-checkpoint must be within 0..10");
        assertThatThrownBy(() -> settings(tmp.resolve("x"), 10, 10, 0, true, 5, true))
                .hasMessageContaining("--compact-every 0");
        assertThatThrownBy(() -> new SyntheticTable(new GeneratorSettings(tmp.resolve("x"), 10, 100, 10, 0, 3, true, 20,
                30, false, 1, 1, Instant.EPOCH, GeneratorSettings.Checksums.ALL))).hasMessageContaining("--compact-window (30) must be below --compact-every (20)");
    }

    private static long kernelFiles(Path table) throws Exception {
        Engine engine = DefaultEngine.create(new Configuration());
        Snapshot snapshot = Table.forPath(engine, table.toString()).getLatestSnapshot(engine);
        long n = 0;
        try (CloseableIterator<FilteredColumnarBatch> batches = snapshot.getScanBuilder().build().getScanFiles(engine)) {
            while (batches.hasNext()) {
                try (CloseableIterator<Row> rows = batches.next().getRows()) {
                    while (rows.hasNext()) {
                        rows.next();
                        n++;
                    }
                }
            }
        }
        return n;
    }
}
