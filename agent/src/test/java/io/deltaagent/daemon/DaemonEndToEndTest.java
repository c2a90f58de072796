package io.deltaagent.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.deltaagent.store.HistoryStore;
import io.deltaagent.store.RunRecord;
import io.deltaagent.store.RunState;
import io.deltaagent.testing.DaemonProcess;
import io.deltaagent.testing.Eventually;
import io.deltaagent.testing.Fixtures;
import io.deltaagent.testing.PrometheusText;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The daemon as operators run it (its own JVM, embedded H2, the local backend): it audits the tables under a
 * discovery root on a fast schedule, notices a small-file table that appears there, compacts it with one real
 * Spark job, and records before/after; seen through /api/history, /api/tables, /metrics and the database.
 */
class DaemonEndToEndTest {

    private static final String TOKEN = "e2e-token-0123456789";

    @TempDir
    Path tmp;

    @Test
    void auditsNoticesATableCrossingTheThresholdCompactsItAndRecordsBeforeAndAfter() throws Exception {
        Path lake = Files.createDirectories(tmp.resolve("lake"));
        Path healthy = Fixtures.copy("spark_optimized", lake);
        Path config = tmp.resolve("agent.yaml");
        Files.writeString(config, """
                defaults:
                  hot-partition-window: 0s
                  max-log-read-latency: 10m   # this busy test machine reads slowly: only small files count here
                  audit-schedule: "*/2 * * * * ?"
                discover:
                  - %s
                daemon:
                  http-address: 127.0.0.1:0
                  http-token-env: E2E_DAEMON_TOKEN
                  instance-id: e2e-daemon
                  max-concurrent-jobs-per-backend: {local: 1}
                """.formatted(lake));
        String db = "jdbc:h2:file:" + tmp.resolve("history");
        Path work = tmp.resolve("jobs");

        try (DaemonProcess daemon = DaemonProcess.start("daemon", tmp, config, db, work, Map.of("E2E_DAEMON_TOKEN", TOKEN), TOKEN)) {
            assertThat(daemon.get("/healthz", null).statusCode()).isEqualTo(200);
            assertThat(daemon.get("/api/tables", null).statusCode()).as("no token").isEqualTo(401);
            assertThat(daemon.get("/metrics", "not-the-token").statusCode()).as("wrong token").isEqualTo(401);
            Eventually.await("ready", Duration.ofSeconds(60), () -> daemon.get("/readyz", null).statusCode(), s -> s == 200);

            JsonNode first = Eventually.await("the healthy table's audit", Duration.ofSeconds(120),
                    () -> table(daemon.json("/api/tables"), healthy.toString()), t -> t != null);
            assertThat(first.get("status").asText()).isEqualTo("HEALTHY");

            // the threshold is crossed: a table with 150 small files appears under the root (moved in whole)
            Path staged = Fixtures.copy("spark_partitioned_checkpoints", Files.createDirectories(tmp.resolve("staging")));
            Path crossing = Files.move(staged, lake.resolve("events"), StandardCopyOption.ATOMIC_MOVE);

            JsonNode run = Eventually.await("the compaction to be recorded", Duration.ofMinutes(6), () -> {
                JsonNode rows = daemon.json("/api/history?table=" + crossing);
                return rows.size() > 0 && !rows.get(0).get("state").asText().matches("SUBMITTED|RUNNING") ? rows.get(0) : null;
            }, r -> r != null);
            assertThat(run.get("state").asText()).as(daemon.log()).isEqualTo("SUCCEEDED");
            assertThat(run.get("action").asText()).isEqualTo("OPTIMIZE");
            assertThat(run.get("owner").asText()).isEqualTo("e2e-daemon");
            assertThat(run.get("before").get("files").asLong()).isEqualTo(150);
            assertThat(run.get("before").get("smallFiles").asLong()).isEqualTo(150);
            assertThat(run.get("after").get("files").asLong()).isEqualTo(3);
            assertThat(run.get("jobResult").get("filesRemoved").asLong()).isEqualTo(150);
            assertThat(run.get("commitVersion").asLong()).isEqualTo(25);
            JsonNode check = run.get("check");
            assertThat(run.get("units").asInt()).isEqualTo(1);
            assertThat(check.get("plannedFilesRewritten").asLong()).isEqualTo(150);
            assertThat(check.get("filesRewritten").asLong()).as("from the commit's operationMetrics").isEqualTo(150);
            assertThat(check.get("writeAmplification").asDouble()).as("only small files rewritten").isEqualTo(1.0);
            assertThat(check.get("filesAfter").asLong()).isEqualTo(check.get("plannedFilesAfter").asLong()).isEqualTo(3);
            assertThat(check.get("deviation").isNull()).isTrue();

            // the gauges match the audit /api/tables shows (both come from the same measurement of these stable tables)
            JsonNode afterJob = Eventually.await("a re-audit of the compacted table", Duration.ofSeconds(60),
                    () -> table(daemon.json("/api/tables"), crossing.toString()),
                    t -> t != null && t.get("health").get("files").get("activeFiles").asLong() == 3);
            PrometheusText metrics = PrometheusText.parse(daemon.text("/metrics"));
            for (JsonNode t : List.of(afterJob, table(daemon.json("/api/tables"), healthy.toString()))) {
                String name = t.get("table").asText();
                JsonNode h = t.get("health");
                assertThat(metrics.value("deltaagent_table_files", "table", name)).isEqualTo(h.get("files").get("activeFiles").asDouble());
                assertThat(metrics.value("deltaagent_table_small_files", "table", name))
                        .isEqualTo(h.get("files").get("smallFiles").asDouble());
                assertThat(metrics.value("deltaagent_table_average_file_size_bytes", "table", name))
                        .isEqualTo(h.get("files").get("averageBytes").asDouble());
                assertThat(metrics.value("deltaagent_table_commits_since_checkpoint", "table", name))
                        .isEqualTo(h.get("log").get("commitsSinceCheckpoint").asDouble());
                assertThat(metrics.value("deltaagent_table_log_read_seconds", "table", name)).isGreaterThanOrEqualTo(0);
            }
            assertThat(metrics.value("deltaagent_actions_total", "action", "OPTIMIZE", "outcome", "succeeded")).isEqualTo(1);
            assertThat(metrics.value("deltaagent_job_duration_seconds_count", "action", "OPTIMIZE")).isEqualTo(1);
            assertThat(metrics.value("deltaagent_audits_total", "outcome", "healthy")).isGreaterThanOrEqualTo(2);
            // re-audits apply only new commits (incremental-audits is on by default): the healthy table is unchanged from
            // its second cycle on, and the compacted table's next cycle applies the OPTIMIZE commit (150 removes, 3 adds)
            assertThat(metrics.value("deltaagent_audit_reads_total", "mode", "unchanged")).isGreaterThanOrEqualTo(1);
            JsonNode reaudited = Eventually.await("a cycle's re-audit of the compacted table", Duration.ofSeconds(60),
                    () -> table(daemon.json("/api/tables"), crossing.toString()),
                    t -> t != null && t.get("health").get("readCost").get("mode").asText().matches("incremental|unchanged")
                            && t.get("health").get("files").get("activeFiles").asLong() == 3);
            assertThat(reaudited.get("health").get("files").get("smallFiles").asLong())
                    .isEqualTo(afterJob.get("health").get("files").get("smallFiles").asLong());
            assertThat(PrometheusText.parse(daemon.text("/metrics")).value("deltaagent_audit_reads_total", "mode", "incremental"))
                    .isGreaterThanOrEqualTo(1);
            assertThat(metrics.value("deltaagent_backend_circuit_state", "backend", "local", "state", "closed")).isEqualTo(1);
            assertThat(metrics.value("deltaagent_backend_circuit_state", "backend", "local", "state", "open")).isZero();
            assertThat(metrics.value("deltaagent_jobs_in_flight")).isZero();
            // the history database's pool: sized for the daemon's threads, and no call waited out its 5 s for a connection
            assertThat(metrics.value("hikaricp_connections_max", "pool", "delta-agent-history"))
                    .isEqualTo(Daemon.historyConnections(io.deltaagent.config.DaemonSettings.defaults()));
            assertThat(metrics.value("hikaricp_connections_timeout_total", "pool", "delta-agent-history")).isZero();

            assertThat(daemon.terminate(Duration.ofSeconds(90))).as("SIGTERM: a clean stop").isZero();
            assertThat(daemon.log()).contains("stopped: jobsLeftRunning=0")
                    .contains(crossing + ": audit MAINTENANCE_DUE: version=24 files=150")
                    .contains(crossing + ": OPTIMIZE rank 1 (gain")
                    .containsPattern(java.util.regex.Pattern.quote(crossing.toString())
                            + ": OPTIMIZE run \\d+ SUCCEEDED on local: files 150 -> 3, smallFiles 150 -> \\d+")
                    // the run's before and after are full reads (cold latency); the cycles' re-audits apply the commit
                    .contains(crossing + ": version 25, 3 files, ")
                    .containsPattern(java.util.regex.Pattern.quote(crossing.toString()) + ": version 25, 3 files, \\d+ small; incremental re-audit, 1 new commits");
        }

        // the database as the daemon left it, read by another process (once, on CI, it came back without a column)
        try (HistoryStore store = HistoryStore.open(db, "sa", "")) {
            List<RunRecord> runs = store.runs().history(null, 100);
            assertThat(runs).hasSize(1);
            assertThat(runs.get(0).state()).isEqualTo(RunState.SUCCEEDED);
            assertThat(runs.get(0).healthAfter()).contains("\"activeFiles\":3");
            Optional<String> commit;
            try {
                commit = store.runs().commitInfo(runs.get(0).id());
            } catch (RuntimeException e) {
                throw new AssertionError("the commit of run " + runs.get(0).id() + " cannot be read back; " + evidence(), e);
            }
            assertThat(commit).as("the commit read back from the log")
                    .hasValueSatisfying(info -> assertThat(info).contains("\"operation\":\"OPTIMIZE\"").contains("\"version\":25"));
            assertThat(new io.deltaagent.store.ActionClaims(store.dataSource()).all()).as("no claim left behind").isEmpty();

            // every cycle's audits are in the trend: the healthy table from the first cycle on, the crossing table due
            var trend = new io.deltaagent.store.AuditSampleStore(store);
            var samples = trend.samples(null, java.time.Instant.EPOCH);
            assertThat(samples).extracting(io.deltaagent.store.AuditSample::table).contains(healthy.toString());
            assertThat(samples).filteredOn(x -> x.table().endsWith("/events") && "MAINTENANCE_DUE".equals(x.status()))
                    .isNotEmpty().allSatisfy(x -> assertThat(x.files()).isEqualTo(150));
        }
    }

    /** The daemon's log and H2's own trace (written only when H2 meets an error), for a failure's report. */
    private String evidence() throws java.io.IOException {
        StringBuilder out = new StringBuilder();
        for (String name : List.of("daemon.log", "history.trace.db")) {
            Path file = tmp.resolve(name);
            out.append("\n--- ").append(name).append(Files.exists(file) ? ":\n" + Files.readString(file) : ": none");
        }
        return out.toString();
    }

    static JsonNode table(JsonNode tables, String path) {
        for (JsonNode t : tables) {
            if (t.get("table").asText().equals(path)) {
                return t;
            }
        }
        return null;
    }
}
