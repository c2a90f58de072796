package io.deltaagent.maintain;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.deltaagent.audit.SettingsThresholds;
import io.deltaagent.cli.ExitCode;
import io.deltaagent.config.ConfigLoader;
import io.deltaagent.config.TableSettings;
import io.deltaagent.deltalog.LogHealthReader;
import io.deltaagent.deltalog.storage.HadoopStorage;
import io.deltaagent.health.PartitionStat;
import io.deltaagent.health.TableHealth;
import io.deltaagent.storage.TableLocation;
import io.deltaagent.testing.CliRun;
import io.deltaagent.testing.DeltaFiles;
import io.deltaagent.testing.Fixtures;
import io.deltaagent.testing.HistoryDb;
import io.deltaagent.testing.TestConfigs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * OPTIMIZE rewrites only what the plan says, in bounded units, through {@code maintain} with the local backend: real
 * Spark jobs on real Spark-written tables, the outcome read back from the log.
 */
class BoundedRewriteTest {

    private static final long MIB = 1L << 20;

    @TempDir
    Path tmp;

    @Test
    void healthyLargeFilesStayAndOnlyTheTinyOnesAreRewritten() throws Exception {
        Path table = Fixtures.copy("spark_mixed_sizes", tmp);
        Map<String, Long> before = DeltaFiles.active(table);
        Map<String, Long> large = new HashMap<>();
        before.forEach((path, size) -> {
            if (size >= MIB) {
                large.put(path, size);
            }
        });
        long tinyBytes = before.values().stream().filter(s -> s < MIB).mapToLong(Long::longValue).sum();
        assertThat(large).as("fixture: 5 files of about 1.5 MiB").hasSize(5).allSatisfy((p, s) -> assertThat(s).isLessThan(2 * MIB));
        assertThat(before).as("fixture: and 60 tiny ones").hasSize(65);
        long rowsBefore = DeltaFiles.rows(table);
        Path config = tmp.resolve("agent.yaml");
        // issue 13's table scaled down: 1 MiB small-file size, 2 MiB target (for 64 MiB and 128 MiB)
        TestConfigs.write(config, "target-file-size: 2MiB", "small-file-size: 1MiB");
        String db = HistoryDb.h2(tmp);

        CliRun run = CliRun.of("maintain", "--config", config.toString(), "--history-db", db, "--format", "json",
                "--local-heap", "1g", table.toString());

        assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(ExitCode.HEALTHY);
        JsonNode result = run.json().get("tables").get(0);
        assertThat(result.get("status").asText()).isEqualTo("HEALED");
        JsonNode action = result.get("actions").get(0);
        assertThat(action.get("where").asText()).as("only the partition with tiny files").isEqualTo("`p` IN ('a')");
        JsonNode check = action.get("check");
        assertThat(check.get("plannedFilesRewritten").asLong()).isEqualTo(60);
        assertThat(check.get("filesRewritten").asLong()).as("read back from the commit").isEqualTo(60);
        assertThat(check.get("bytesRewritten").asLong()).isEqualTo(tinyBytes).isEqualTo(check.get("plannedBytesRewritten").asLong());
        assertThat(check.get("writeAmplification").asDouble()).isEqualTo(1.0);
        assertThat(check.get("filesAfter").asLong()).isEqualTo(check.get("plannedFilesAfter").asLong()).isEqualTo(6);
        assertThat(check.get("deviation").isNull()).isTrue();

        Map<String, Long> after = DeltaFiles.active(table);
        assertThat(after).as("every healthy large file is still active, untouched").containsAllEntriesOf(large).hasSize(6);
        after.keySet().removeAll(large.keySet());
        assertThat(after.values()).as("the one new file stays within the target").singleElement()
                .satisfies(size -> assertThat(size).isLessThanOrEqualTo(2 * MIB));
        assertThat(DeltaFiles.rows(table)).as("no row lost or duplicated").isEqualTo(rowsBefore);
    }

    @Test
    void aKilledSecondUnitKeepsTheFirstUnitsCommitAndTheRerunFinishesTheRest() throws Exception {
        Path table = Fixtures.copy("spark_partitioned_checkpoints", tmp);
        long rowsBefore = DeltaFiles.rows(table);
        TableHealth health = new LogHealthReader(new HadoopStorage(new Configuration()), Clock.systemUTC())
                .read(TableLocation.of(table.toString()), SettingsThresholds.of(TableSettings.defaults()));
        long largest = health.files().compactionCandidates().stream().mapToLong(PartitionStat::smallFileBytes).max().orElseThrow();
        // two partitions fit in a job, three do not: units of 2024-01-01 + 2024-01-02, then 2024-01-03
        long maxBytesPerJob = 2 * largest + largest / 2;
        Path config = tmp.resolve("agent.yaml");
        TestConfigs.write(config, "cooldown: 0s", "max-bytes-per-job: " + maxBytesPerJob + "B");
        new ConfigLoader().load(config); // the config the CLI will read is valid
        String db = HistoryDb.h2(tmp);
        String[] maintain = {"maintain", "--config", config.toString(), "--history-db", db, "--format", "json", "--local-heap", "1g",
                table.toString()};

        CompletableFuture<CliRun> first = CompletableFuture.supplyAsync(() -> CliRun.of(maintain));
        ProcessHandle secondUnit = awaitJob("'2024-01-03'", first);
        secondUnit.destroyForcibly();
        CliRun killed = first.get(10, TimeUnit.MINUTES);

        assertThat(killed.exitCode()).as(killed.out() + killed.err()).isEqualTo(ExitCode.TABLE_FAILED);
        JsonNode actions = killed.json().get("tables").get(0).get("actions");
        assertThat(actions).hasSize(2);
        assertThat(actions.get(0).get("unit").asInt()).isEqualTo(1);
        assertThat(actions.get(0).get("units").asInt()).isEqualTo(2);
        assertThat(actions.get(0).get("where").asText()).isEqualTo("`date` IN ('2024-01-01', '2024-01-02')");
        assertThat(actions.get(0).get("state").asText()).isEqualTo("SUCCEEDED");
        assertThat(actions.get(1).get("unit").asInt()).isEqualTo(2);
        assertThat(actions.get(1).get("state").asText()).isEqualTo("FAILED");
        assertThat(actions.get(1).get("where").asText()).isEqualTo("`date` IN ('2024-01-03')");
        assertThat(DeltaFiles.active(table)).as("the first unit's commit stands: 100 files into 2, 50 left").hasSize(52);
        assertThat(DeltaFiles.rows(table)).isEqualTo(rowsBefore);

        CliRun rerun = CliRun.of(maintain);

        assertThat(rerun.exitCode()).as(rerun.out() + rerun.err()).isEqualTo(ExitCode.HEALTHY);
        JsonNode result = rerun.json().get("tables").get(0);
        assertThat(result.get("status").asText()).isEqualTo("HEALED");
        assertThat(result.get("actions")).singleElement().satisfies(a -> {
            assertThat(a.get("where").asText()).as("only what is left").isEqualTo("`date` IN ('2024-01-03')");
            assertThat(a.get("units").asInt()).isEqualTo(1);
            assertThat(a.get("check").get("filesRewritten").asLong()).isEqualTo(50);
        });
        assertThat(DeltaFiles.active(table)).hasSize(3);
        assertThat(DeltaFiles.rows(table)).as("no row lost or duplicated").isEqualTo(rowsBefore);

        JsonNode history = new ObjectMapper().readTree(CliRun.of("history", "--history-db", db, "--format", "json",
                table.toString()).out().trim());
        assertThat(history).extracting(r -> r.get("state").asText()).containsExactly("SUCCEEDED", "FAILED", "SUCCEEDED");
        assertThat(history).extracting(r -> r.get("unit").asInt() + "/" + r.get("units").asInt()).containsExactly("1/1", "2/2", "1/2");
        for (int i : new int[] {0, 2}) {
            JsonNode check = history.get(i).get("check");
            assertThat(check.get("deviation").isNull()).as(check.toString()).isTrue();
            assertThat(check.get("writeAmplification").asDouble()).as("only small files rewritten").isEqualTo(1.0);
            assertThat(check.get("filesRewritten").asLong()).isEqualTo(check.get("plannedFilesRewritten").asLong());
        }
        assertThat(history.get(2).get("commitVersion").asLong()).isEqualTo(25);
        assertThat(history.get(0).get("commitVersion").asLong()).isEqualTo(26);
    }

    /** Waits for the local backend's Spark process (a child of this JVM) whose arguments contain {@code marker}. */
    private static ProcessHandle awaitJob(String marker, CompletableFuture<CliRun> maintain) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(8));
        while (Instant.now().isBefore(deadline)) {
            if (maintain.isDone()) {
                throw new AssertionError("maintain ended before the second unit's job was seen: " + maintain.join().out()
                        + maintain.join().err());
            }
            // this JVM's own children only: another build on the machine may be running the same job
            Optional<ProcessHandle> job = ProcessHandle.current().descendants()
                    .filter(p -> p.info().commandLine().map(c -> c.contains("io.deltaagent.jobs.MaintenanceJob") && c.contains(marker))
                            .orElse(false))
                    .findFirst();
            if (job.isPresent()) {
                return job.get();
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no Spark job for " + marker + " within 8 minutes");
    }
}
