package io.deltaagent.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.delta.DeltaLog;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * VACUUM on a table with three generations of files: gen0 removed 10 days ago (aged: its tombstones and file
 * times moved into the past, as if days had passed), gen1 removed just now, gen2 current; plus an old and a new
 * stray file no commit ever referenced.
 */
class VacuumJobTest {
    private static final long TEN_DAYS = Duration.ofDays(10).toMillis();
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path fixtures;

    @TempDir
    Path tmp;

    private static SparkSession spark;
    private static Path master;
    private static List<TableData.Fingerprint> generations;

    private String table;
    private Path dir;

    @BeforeAll
    static void threeGenerations() throws IOException {
        spark = SparkTestSession.get();
        master = fixtures.resolve("three_generations");
        generations = new ArrayList<>();
        for (int gen = 0; gen < 3; gen++) {
            spark.range(0, 400, 1, 4).selectExpr("id", "'gen" + gen + "' AS gen").write().format("delta")
                    .mode("overwrite").save(master.toString());
            generations.add(TableData.fingerprintAsOf(spark, master.toString(), gen));
        }
        // gen0's files were removed by commit 1: pretend that was 10 days ago
        Path log = master.resolve("_delta_log");
        Path commit1 = log.resolve(LogFiles.commit(1));
        FileTime committedAt = Files.getLastModifiedTime(commit1); // time travel by timestamp reads it
        List<String> lines = new ArrayList<>();
        for (String line : Files.readAllLines(commit1)) {
            JsonNode action = JSON.readTree(line);
            if (action.has("remove")) {
                ((ObjectNode) action.get("remove")).put("deletionTimestamp", System.currentTimeMillis() - TEN_DAYS);
            }
            lines.add(JSON.writeValueAsString(action));
        }
        Files.write(commit1, lines);
        Files.setLastModifiedTime(commit1, committedAt);
        Files.deleteIfExists(log.resolve("." + LogFiles.commit(1) + ".crc")); // Hadoop's checksum of the old bytes
        try (Stream<Path> files = Files.list(master)) {
            for (Path file : files.filter(p -> p.getFileName().toString().endsWith(".parquet")).toList()) {
                LogFiles.age(file, TEN_DAYS); // all data files are old; only tombstones protect gen1
            }
        }
        Files.writeString(master.resolve("part-stray-old.snappy.parquet"), "left by a failed writer");
        LogFiles.age(master.resolve("part-stray-old.snappy.parquet"), TEN_DAYS);
        Files.writeString(master.resolve("part-stray-new.snappy.parquet"), "being written right now");
        DeltaLog.clearCache();
    }

    @BeforeEach
    void copy() {
        dir = Fixtures.copy(master, tmp.resolve("events"));
        table = dir.toString();
    }

    private List<String> gen0Files() {
        return List.of(spark.read().format("delta").option("versionAsOf", 0).load(table).inputFiles());
    }

    private List<String> dataFiles() {
        return LogFiles.names(dir).stream().filter(n -> n.endsWith(".parquet")).toList();
    }

    @Test
    void refusesARetentionBelowTheFloorNamingTheFloorThePropertyAndTheFlag() {
        List<String> before = dataFiles();

        JobCli.Run run = JobCli.run("vacuum", "--table", table, "--retain", "1h");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.result().at("/error/message").asText())
                .startsWith(table + ": refusing to vacuum with --retain 1h: the floor is 7d")
                .contains("delta.deletedFileRetentionDuration=7d", "--unsafe-allow-retention-below-floor");
        assertThat(run.result().at("/error/class").asText())
                .isEqualTo("io.deltaagent.jobs.error.InvalidInputException");

        spark.sql("ALTER TABLE delta.`" + table + "` SET TBLPROPERTIES "
                + "('delta.deletedFileRetentionDuration' = 'interval 14 days')");
        JobCli.Run week = JobCli.run("vacuum", "--table", table, "--retain", "168h", "--dry-run");

        assertThat(week.exitCode()).isEqualTo(2);
        assertThat(week.result().at("/error/message").asText())
                .contains("the floor is 14d", "delta.deletedFileRetentionDuration=14d");
        assertThat(dataFiles()).isEqualTo(before);
    }

    @Test
    void aDryRunListsWhatWouldGoAndDeletesNothing() {
        List<String> before = dataFiles();
        List<String> gen0 = gen0Files();

        JobCli.Run run = JobCli.run("vacuum", "--table", table, "--retain", "7d", "--dry-run");

        assertThat(run.exitCode()).as(run.stdout().toString()).isZero();
        assertThat(dataFiles()).isEqualTo(before);
        JsonNode vacuum = run.result().get("vacuum");
        List<String> listed = new ArrayList<>();
        vacuum.get("files").forEach(f -> listed.add(f.asText()));
        List<String> expected = new ArrayList<>(gen0);
        expected.add("file:" + dir.resolve("part-stray-old.snappy.parquet"));
        assertThat(listed).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(vacuum.get("dryRun").asBoolean()).isTrue();
        assertThat(vacuum.get("filesToDelete").asLong()).isEqualTo(5);
        assertThat(vacuum.get("bytesToDelete").asLong()).isPositive();
        assertThat(vacuum.get("filesTruncated").asBoolean()).isFalse();
        assertThat(vacuum.get("retentionHours").asLong()).isEqualTo(168);
        assertThat(vacuum.get("floorHours").asLong()).isEqualTo(168);
        assertThat(vacuum.get("filesDeleted").isNull()).isTrue();
        assertThat(run.result().get("filesRemoved").asLong()).isZero();
        assertThat(run.result().get("versionAfter").asLong()).isEqualTo(2);
    }

    /** delta-spark 4 would apply the table's 7 days instead of RETAIN unless the job turns retentionWindowIgnore off. */
    @Test
    void aRetentionLongerThanTheTablesIsTheOneVacuumApplies() {
        List<String> before = dataFiles();

        JobCli.Run run = JobCli.run("vacuum", "--table", table, "--retain", "15d");

        assertThat(run.exitCode()).as(run.stdout().toString()).isZero();
        // gen0's files were removed 10 days ago and the stray file is 10 days old: within 15 days, all of them stay
        assertThat(dataFiles()).isEqualTo(before);
        assertThat(run.result().get("filesRemoved").asLong()).isZero();
        assertThat(run.result().at("/vacuum/retentionHours").asLong()).isEqualTo(360);
    }

    @Test
    void removesOnlyFilesOlderThanTheRetentionAndTimeTravelWithinItKeepsWorking() {
        List<String> gen0 = gen0Files();

        JobCli.Run run = JobCli.run("vacuum", "--table", table, "--retain", "7d");

        assertThat(run.exitCode()).as(run.stdout().toString()).isZero();
        List<String> left = dataFiles();
        assertThat(left).hasSize(4 + 4 + 1).contains("part-stray-new.snappy.parquet")
                .doesNotContain("part-stray-old.snappy.parquet");
        for (String gone : gen0) {
            assertThat(left).doesNotContain(Path.of(gone.replace("file:", "")).getFileName().toString());
        }
        assertThat(TableData.fingerprint(spark, table)).isEqualTo(generations.get(2));
        assertThat(TableData.fingerprintAsOf(spark, table, 1)).isEqualTo(generations.get(1));
        assertThatThrownBy(() -> TableData.fingerprintAsOf(spark, table, 0)).hasStackTraceContaining("does not exist");
        JsonNode result = run.result();
        assertThat(result.get("filesRemoved").asLong()).isEqualTo(5);
        assertThat(result.get("bytesRemoved").asLong()).isPositive();
        assertThat(result.at("/vacuum/filesToDelete").asLong()).isEqualTo(5);
        assertThat(result.at("/vacuum/filesDeleted").asLong()).isEqualTo(5);
        assertThat(result.at("/vacuum/files").isNull()).isTrue();
        // Delta logged the vacuum as VACUUM START (3) and VACUUM END (4)
        assertThat(result.get("versionBefore").asLong()).isEqualTo(2);
        assertThat(result.get("commitVersion").asLong()).isEqualTo(4);
        assertThat(result.get("versionAfter").asLong()).isEqualTo(4);
    }

    @Test
    void theUnsafeFlagAllowsARetentionBelowTheFloor() {
        JobCli.Run run = JobCli.run("vacuum", "--table", table, "--retain", "0h",
                "--unsafe-allow-retention-below-floor");

        assertThat(run.exitCode()).as(run.stdout().toString()).isZero();
        assertThat(dataFiles()).hasSize(4); // only what the current version references
        assertThat(TableData.fingerprint(spark, table)).isEqualTo(generations.get(2));
        assertThat(run.result().at("/vacuum/belowFloorAllowed").asBoolean()).isTrue();
        assertThat(run.result().get("filesRemoved").asLong()).isEqualTo(4 + 4 + 2);
        // the session's own safety check is back on after the run
        assertThat(spark.conf().contains("spark.databricks.delta.retentionDurationCheck.enabled")).isFalse();
        assertThat(spark.conf().get("spark.databricks.delta.retentionDurationCheck.enabled")).isEqualTo("true");
    }
}
