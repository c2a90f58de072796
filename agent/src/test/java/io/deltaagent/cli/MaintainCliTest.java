package io.deltaagent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.deltaagent.testing.CliRun;
import io.deltaagent.testing.DeltaFiles;
import io.deltaagent.testing.Fixtures;
import io.deltaagent.testing.HistoryDb;
import io.deltaagent.testing.TestConfigs;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code maintain} end to end with the local backend: a real Spark process per job compacts a real
 * small-file table; the history database records before and after, read back from the log.
 */
class MaintainCliTest {

    @TempDir
    Path tmp;

    @Test
    void maintainHealsASmallFileTableAndRecordsBeforeAndAfter() throws Exception {
        Path table = Fixtures.copy("spark_partitioned_checkpoints", tmp);
        long rowsBefore = DeltaFiles.rows(table);
        Path config = tmp.resolve("agent.yaml");
        Files.writeString(config, TestConfigs.DEFAULTS + "backends:\n  local: {core-hour-price: 0.06}\n");
        String db = HistoryDb.h2(tmp);

        CliRun run = CliRun.of("maintain", "--config", config.toString(), "--history-db", db, "--format", "json",
                "--local-heap", "1g", table.toString());

        assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(ExitCode.HEALTHY);
        JsonNode result = run.json().get("tables").get(0);
        assertThat(result.get("status").asText()).isEqualTo("HEALED");
        JsonNode action = result.get("actions").get(0);
        assertThat(action.get("action").asText()).isEqualTo("OPTIMIZE");
        assertThat(action.get("where").asText()).isEqualTo("`date` IN ('2024-01-01', '2024-01-02', '2024-01-03')");
        assertThat(action.get("state").asText()).isEqualTo("SUCCEEDED");
        double hours = java.time.Duration.between(java.time.Instant.parse(action.get("startedAt").asText()),
                java.time.Instant.parse(action.get("endedAt").asText())).toMillis() / 3_600_000.0;
        assertThat(action.get("cost").get("amount").asDouble()).as("2 cores x the run's hours x 0.06")
                .isCloseTo(2 * hours * 0.06, org.assertj.core.data.Offset.offset(0.0001)).isPositive();
        assertThat(action.get("cost").get("basis").asText()).startsWith("2 cores x ");
        assertThat(action.get("jobResult").get("filesRemoved").asLong()).isEqualTo(150);
        assertThat(result.get("before").get("files").asLong()).isEqualTo(150);
        assertThat(result.get("after").get("files").asLong()).isEqualTo(3);
        assertThat(DeltaFiles.rows(table)).as("no row lost or duplicated").isEqualTo(rowsBefore).isEqualTo(25 * 300);

        try (io.deltaagent.store.HistoryStore store = io.deltaagent.store.HistoryStore.open(db, "sa", "")) {
            var samples = new io.deltaagent.store.AuditSampleStore(store).samples(table.toRealPath().toString(), java.time.Instant.EPOCH);
            assertThat(samples).as("the audit before and the re-audit after, in the trend").hasSize(2);
            assertThat(samples.get(0).status()).isEqualTo("MAINTENANCE_DUE");
            assertThat(samples.get(0).files()).isEqualTo(150);
            assertThat(samples.get(1).status()).isEqualTo("HEALTHY");
            assertThat(samples.get(1).files()).isEqualTo(3);
            assertThat(samples.get(1).version()).isEqualTo(25);
        }
        CliRun audited = CliRun.of("audit", "--config", config.toString(), "--history-db", db, "--format", "json", table.toString());
        assertThat(audited.exitCode()).as(audited.err()).isZero();
        CliRun trendless = CliRun.of("audit", "--config", config.toString(), "--format", "json", table.toString());
        assertThat(trendless.exitCode()).isZero();
        try (io.deltaagent.store.HistoryStore store = io.deltaagent.store.HistoryStore.open(db, "sa", "")) {
            assertThat(new io.deltaagent.store.AuditSampleStore(store).samples(null, java.time.Instant.EPOCH))
                    .as("audit records a sample with --history-db only").hasSize(3);
        }

        CliRun history = CliRun.of("history", "--history-db", db, "--format", "json", table.toString());
        JsonNode rows = new ObjectMapper().readTree(history.out().trim());
        assertThat(rows).hasSize(1);
        assertThat(rows.get(0).get("state").asText()).isEqualTo("SUCCEEDED");
        assertThat(rows.get(0).get("cost").get("amount").asDouble()).isEqualTo(action.get("cost").get("amount").asDouble());
        assertThat(rows.get(0).get("before").get("files").asLong()).isEqualTo(150);
        assertThat(rows.get(0).get("after").get("files").asLong()).isEqualTo(3);
        assertThat(rows.get(0).get("filesChange").asText()).isEqualTo("-98.0%");
        assertThat(rows.get(0).get("commitVersion").asLong()).isEqualTo(25);
        JsonNode check = rows.get(0).get("check");
        assertThat(check.get("plannedFilesRewritten").asLong()).isEqualTo(150);
        assertThat(check.get("filesRewritten").asLong()).as("from the commit's operationMetrics").isEqualTo(150);
        assertThat(check.get("plannedFilesWritten").asLong()).isEqualTo(check.get("filesWritten").asLong()).isEqualTo(3);
        assertThat(check.get("writeAmplification").asDouble()).isEqualTo(1.0);
        assertThat(check.get("deviation").isNull()).isTrue();
        assertThat(action.get("jobResult").get("minFileSize").asLong()).as("the agent's small-file size reached the job")
                .isEqualTo(64L << 20);
        assertThat(action.get("jobResult").get("maxFileSize").asLong()).isEqualTo(128L << 20);
        JsonNode commit = rows.get(0).get("commit");
        assertThat(commit.get("version").asLong()).as("read back from _delta_log/...25.json").isEqualTo(25);
        assertThat(commit.get("operation").asText()).isEqualTo("OPTIMIZE");
        assertThat(commit.get("operationMetrics").get("numRemovedFiles").asText()).isEqualTo("150");
        assertThat(commit.get("operationMetrics").get("numAddedFiles").asText()).isEqualTo("3");
        assertThat(action.get("commit").get("operation").asText()).isEqualTo("OPTIMIZE");
        assertThat(CliRun.of("history", "--history-db", db, table.toString()).out())
                .contains("commit 25 in the log: OPTIMIZE: numRemovedFiles 150, numAddedFiles 3")
                .containsPattern("planned 150 files \\(.+\\) -> about 3, 3 files after; did 150 files \\(.+\\) -> 3 \\(.+\\), "
                        + "3 files after; write amplification 1.00x");
    }

    @Test
    void aHealthyTableRunsNoJob() throws Exception {
        Path table = Fixtures.copy("spark_optimized", tmp);
        Path config = tmp.resolve("agent.yaml");
        // a loaded machine can take seconds to read even a small log: only the file layout is under test here
        Files.writeString(config, "defaults:\n  max-log-read-latency: 1h\n");
        CliRun run = CliRun.of("maintain", "--config", config.toString(), "--history-db", HistoryDb.h2(tmp, "h"),
                table.toString());
        assertThat(run.exitCode()).isEqualTo(ExitCode.HEALTHY);
        assertThat(run.out()).contains(table + ": HEALTHY");
        CliRun history = CliRun.of("history", "--history-db", HistoryDb.h2(tmp, "h"));
        assertThat(history.out()).contains("no maintenance runs recorded");
    }
}
