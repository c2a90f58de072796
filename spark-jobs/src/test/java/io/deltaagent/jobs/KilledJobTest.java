package io.deltaagent.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A job killed while OPTIMIZE is writing leaves the table at its previous version (Delta's commit is the single
 * atomic step, and it never happened); a rerun completes. Runs the real main in child JVMs, which also shows
 * that stdout carries the result line and nothing else.
 */
class KilledJobTest {
    @TempDir
    Path tmp;

    private final SparkSession spark = SparkTestSession.get();

    @Test
    void killedHalfWayLeavesThePreviousVersionAndARerunCompletes() throws Exception {
        Path master = Fixtures.smallFilesTable(spark);
        TableData.Fingerprint data = Fixtures.smallFilesData(spark);
        Path dir = Fixtures.copy(master, tmp.resolve("events"));
        String table = dir.toString();
        long parquetBefore = parquetFiles(dir);

        Process job = ChildJvm.start(MaintenanceJob.class, List.of("optimize", "--table", table),
                tmp.resolve("killed.out"), tmp.resolve("killed.err"));
        // OPTIMIZE writes its new files straight into the table directory; the commit comes last
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(50))
                .until(() -> parquetFiles(dir) > parquetBefore || !job.isAlive());
        assertThat(job.isAlive()).as("the job was still running when killed; see killed.err").isTrue();
        job.destroyForcibly();
        assertThat(job.waitFor(1, TimeUnit.MINUTES)).isTrue();

        assertThat(parquetFiles(dir)).as("files the killed run left behind").isGreaterThan(parquetBefore);
        assertThat(TableData.version(spark, table)).isZero();
        assertThat(TableData.files(spark, table)).isEqualTo(Fixtures.SMALL_FILES);

        Path out = tmp.resolve("rerun.out");
        Process rerun = ChildJvm.start(MaintenanceJob.class, List.of("optimize", "--table", table), out,
                tmp.resolve("rerun.err"));
        assertThat(rerun.waitFor(5, TimeUnit.MINUTES)).isTrue();

        List<String> stdout = Files.readAllLines(out);
        assertThat(rerun.exitValue()).as(String.join("\n", Files.readAllLines(tmp.resolve("rerun.err")))).isZero();
        assertThat(stdout).as("stdout holds the result and nothing else").hasSize(1);
        JsonNode result = JobCli.parse(stdout.get(0));
        assertThat(result.get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(result.get("versionBefore").asLong()).isZero();
        assertThat(result.get("commitVersion").asLong()).isEqualTo(1);
        assertThat(result.get("filesRemoved").asLong()).isEqualTo(Fixtures.SMALL_FILES);
        assertThat(result.get("sparkApplicationId").asText()).startsWith("local-");
        assertThat(TableData.files(spark, table)).isEqualTo(Fixtures.SMALL_FILES_PARTITIONS);
        assertThat(TableData.fingerprint(spark, table)).isEqualTo(data);
    }

    private static long parquetFiles(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".parquet")
                    && !p.toString().contains("_delta_log")).count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
