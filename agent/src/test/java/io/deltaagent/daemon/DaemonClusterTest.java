package io.deltaagent.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.deltaagent.store.HistoryStore;
import io.deltaagent.store.RunRecord;
import io.deltaagent.store.RunState;
import io.deltaagent.testing.DaemonProcess;
import io.deltaagent.testing.Eventually;
import io.deltaagent.testing.Fixtures;
import io.deltaagent.testing.PostgresTestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two daemon processes on one PostgreSQL database (Quartz clustered) with the same table: the action runs
 * exactly once while both audit it every two seconds, and when the daemon running the job is killed, the other
 * takes over and follows that job to its end instead of starting another.
 */
class DaemonClusterTest {

    @TempDir
    Path tmp;

    @Test
    void twoDaemonsOnOneDatabaseRunEachActionOnceAndTheSurvivorTakesOver() throws Exception {
        PostgresTestServer pg = PostgresTestServer.shared();
        String dbName = "cluster_" + System.nanoTime();
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), "agent", "")) {
            c.createStatement().execute("CREATE DATABASE " + dbName);
        }
        String db = pg.jdbcUrl().replace("/agent", "/" + dbName);
        Path table = Fixtures.copy("spark_partitioned_checkpoints", tmp);
        Map<String, String> env = Map.of("DELTA_AGENT_DB_USER", "agent", "DELTA_AGENT_DB_PASSWORD", "");

        DaemonProcess a = DaemonProcess.start("a", tmp, config("daemon-a", table), db, tmp.resolve("jobs-a"), env, null);
        DaemonProcess b = DaemonProcess.start("b", tmp, config("daemon-b", table), db, tmp.resolve("jobs-b"), env, null);
        try {
            JsonNode running = Eventually.await("the job to start on one of them", Duration.ofMinutes(3), () -> {
                JsonNode rows = a.json("/api/history");
                return rows.size() > 0 && rows.get(0).get("state").asText().equals("RUNNING") ? rows.get(0) : null;
            }, r -> r != null);
            String owner = running.get("owner").asText();
            DaemonProcess dying = owner.equals("daemon-a") ? a : b;
            DaemonProcess survivor = dying == a ? b : a;
            String handle = running.get("jobHandle").asText();
            Eventually.await("its Spark process", Duration.ofSeconds(60), () -> DaemonRestartTest.sparkProcess(handle),
                    java.util.Optional::isPresent);
            // the cycles go on (on either daemon: Quartz runs each firing on one of them) and still find the table
            // due; the claim keeps them from starting a second job
            Eventually.await("a later cycle to refuse the busy table", Duration.ofMinutes(3), () -> a.log() + b.log(),
                    log -> log.contains("IN_FLIGHT, the table is busy with OPTIMIZE (admitted"));
            dying.kill();

            JsonNode done = Eventually.await("the survivor to record the job", Duration.ofMinutes(10), () -> {
                JsonNode rows = survivor.json("/api/history");
                return rows.size() > 0 && rows.get(0).get("state").asText().matches("SUBMITTED|RUNNING") ? null : rows;
            }, r -> r != null);
            assertThat(done).as("exactly one run").hasSize(1);
            assertThat(done.get(0).get("state").asText()).as(survivor.log()).isEqualTo("SUCCEEDED");
            assertThat(done.get(0).get("owner").asText()).isEqualTo(owner);
            assertThat(survivor.log()).contains("resumed: following its job " + handle);
            assertThat(survivor.terminate(Duration.ofSeconds(90))).isZero();
        } finally {
            a.close();
            b.close();
        }

        long sparkJobs = 0;
        for (Path work : List.of(tmp.resolve("jobs-a"), tmp.resolve("jobs-b"))) {
            if (Files.isDirectory(work)) {
                try (Stream<Path> files = Files.list(work)) {
                    sparkJobs += files.filter(p -> p.toString().endsWith(".log")).count();
                }
            }
        }
        assertThat(sparkJobs).as("one Spark job over both daemons").isEqualTo(1);
        assertThat(DaemonRestartTest.commitsAfter(table, 24)).containsExactly("00000000000000000025.json");
        List<RunRecord> runs;
        try (HistoryStore store = HistoryStore.open(db, "agent", "")) {
            runs = store.runs().history(null, 10);
        }
        assertThat(runs).singleElement().satisfies(r -> assertThat(r.state()).isEqualTo(RunState.SUCCEEDED));
    }

    private Path config(String instance, Path table) throws Exception {
        Path config = tmp.resolve(instance + ".yaml");
        // cooldown 0s: only the claim stops the second daemon from starting the same OPTIMIZE while the first runs
        Files.writeString(config, """
                defaults:
                  hot-partition-window: 0s
                  max-log-read-latency: 10m   # this busy test machine reads slowly: only small files count here
                  audit-schedule: "*/5 * * * * ?"
                  cooldown: 0s
                tables:
                  - %s
                daemon:
                  http-address: 127.0.0.1:0
                  instance-id: %s
                  cluster-checkin-interval: 1s
                """.formatted(table, instance));
        return config;
    }
}
