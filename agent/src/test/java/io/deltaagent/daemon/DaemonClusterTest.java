package io.deltaagent.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.deltaagent.deltalog.history.CommitInfoReader;
import io.deltaagent.deltalog.storage.HadoopStorage;
import io.deltaagent.store.HistoryStore;
import io.deltaagent.store.RunRecord;
import io.deltaagent.store.RunState;
import io.deltaagent.testing.DaemonProcess;
import io.deltaagent.testing.DeltaFiles;
import io.deltaagent.testing.Eventually;
import io.deltaagent.testing.Fixtures;
import io.deltaagent.testing.PostgresTestServer;
import io.deltaagent.testing.PrometheusText;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two daemon processes on one PostgreSQL database (Quartz clustered) with the same table, whose OPTIMIZE is planned in
 * two units (three partitions, at most two per job): each unit runs exactly once while both daemons audit the table every
 * five seconds, and when the daemon running the first unit's job is killed (SIGKILL), the other takes over within a
 * bound, follows that job to its end instead of starting another, then runs the second unit. Each unit's tag is committed
 * once, and no row is lost. Two Spark jobs in all: the fewest that show the survivor continuing the table's work.
 */
class DaemonClusterTest {

    @TempDir
    Path tmp;

    @Test
    void twoDaemonsOnOneDatabaseRunEachUnitOnceAndTheSurvivorTakesOverAndFinishesTheTable() throws Exception {
        PostgresTestServer pg = PostgresTestServer.shared();
        String dbName = "cluster_" + System.nanoTime();
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), "agent", "")) {
            c.createStatement().execute("CREATE DATABASE " + dbName);
        }
        String db = pg.jdbcUrl().replace("/agent", "/" + dbName);
        Path table = Fixtures.copy("spark_partitioned_checkpoints", tmp);
        Map<String, String> env = Map.of("DELTA_AGENT_DB_USER", "agent", "DELTA_AGENT_DB_PASSWORD", "");
        long rowsBefore = DeltaFiles.rows(table);

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
            assertThat(running.get("unit").asInt()).isEqualTo(1);
            assertThat(running.get("units").asInt()).as("three partitions, two per job").isEqualTo(2);
            dying.kill();
            long killedAt = System.nanoTime();

            // the dead daemon's Quartz instance is failed once its check-ins stop (1 s interval + Quartz's 7.5 s grace);
            // its claimed firing is then recovered on the survivor within a cycle or two: a minute leaves room for this
            // busy machine, yet fails a survivor that only took over at the job timeout or never
            Eventually.await("the survivor to follow the dead daemon's job", TAKEOVER_BOUND, survivor::log,
                    log -> log.contains("resumed: following its job " + handle));
            Duration takeover = Duration.ofNanos(System.nanoTime() - killedAt);
            assertThat(takeover).isLessThan(TAKEOVER_BOUND);

            JsonNode first = Eventually.await("the survivor to record the first unit", Duration.ofMinutes(10), () -> {
                JsonNode rows = survivor.json("/api/history");
                JsonNode run = rows.get(rows.size() - 1);
                return run.get("state").asText().matches("SUBMITTED|RUNNING") ? null : run;
            }, r -> r != null);
            assertThat(first.get("state").asText()).as(survivor.log()).isEqualTo("SUCCEEDED");
            assertThat(first.get("owner").asText()).isEqualTo(owner);

            // the table is still due (one partition left): the survivor's next cycles claim and run the second unit
            JsonNode done = Eventually.await("the survivor to run the second unit", Duration.ofMinutes(10), () -> {
                JsonNode rows = survivor.json("/api/history");
                return rows.size() == 2 && !rows.get(0).get("state").asText().matches("SUBMITTED|RUNNING") ? rows : null;
            }, r -> r != null);
            assertThat(done.get(0).get("state").asText()).as(survivor.log()).isEqualTo("SUCCEEDED");
            assertThat(done.get(0).get("owner").asText()).isEqualTo(survivor == a ? "daemon-a" : "daemon-b");
            assertThat(Instant.parse(done.get(0).get("submittedAt").asText()))
                    .as("the second unit started within a bound of the first one's end")
                    .isBefore(Instant.parse(first.get("endedAt").asText()).plus(TAKEOVER_BOUND));
            // the survivor's /metrics count what it recorded: both runs' bytes and costs, the followed one's estimated from
            // its job's own times as if the survivor had started it
            PrometheusText m = PrometheusText.parse(survivor.text("/metrics"));
            long bytes = 0;
            double cost = 0;
            for (JsonNode run : done) {
                bytes += run.get("check").get("bytesRewritten").asLong();
                assertThat(run.get("cost").isNull()).as("run %s has a cost estimate", run.get("id")).isFalse();
                assertThat(run.get("cost").get("currency").asText()).isEqualTo("EUR");
                cost += run.get("cost").get("amount").asDouble();
            }
            assertThat(bytes).isPositive();
            assertThat(m.value("deltaagent_bytes_rewritten_total", "backend", "local")).isEqualTo(bytes);
            assertThat(m.value("deltaagent_estimated_cost_total", "backend", "local", "currency", "EUR")).isCloseTo(cost, within(1e-9));
            assertThat(m.find("deltaagent_job_duration_seconds_count", "action", "OPTIMIZE")).isNotEmpty();
            assertThat(m.find("deltaagent_build_info")).singleElement().satisfies(s -> assertThat(s.value()).isEqualTo(1));
            System.out.printf("DaemonClusterTest: takeover %d s after the kill, unit 2 submitted %d s after unit 1 ended%n",
                    takeover.toSeconds(), Duration.between(Instant.parse(first.get("endedAt").asText()),
                            Instant.parse(done.get(0).get("submittedAt").asText())).toSeconds());
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
        assertThat(sparkJobs).as("one Spark job per unit over both daemons").isEqualTo(2);
        assertThat(DaemonRestartTest.commitsAfter(table, 24)).containsExactly("00000000000000000025.json", "00000000000000000026.json");
        List<RunRecord> runs;
        try (HistoryStore store = HistoryStore.open(db, "agent", "")) {
            runs = store.runs().history(null, 10);
        }
        assertThat(runs).hasSize(2).allSatisfy(r -> assertThat(r.state()).isEqualTo(RunState.SUCCEEDED));
        CommitInfoReader log = new CommitInfoReader(new HadoopStorage(new Configuration()));
        for (RunRecord r : runs) {
            assertThat(r.commitTag()).isNotBlank();
            assertThat(log.taggedCommits(table.toString(), 24, r.commitTag())).as("run %d's tag, committed once", r.id())
                    .containsExactly(r.commitVersion());
        }
        assertThat(DeltaFiles.rows(table)).as("no row lost or doubled").isEqualTo(rowsBefore);
        assertThat(DeltaFiles.active(table)).as("one file per partition").hasSize(3);
    }

    /** From the kill to the survivor following the dead daemon's job, and from one unit's end to the next one's start. */
    private static final Duration TAKEOVER_BOUND = Duration.ofSeconds(60);

    private Path config(String instance, Path table) throws Exception {
        Path config = tmp.resolve(instance + ".yaml");
        // cooldown 0s: only the claim stops the second daemon from starting the same OPTIMIZE while the first runs
        Files.writeString(config, """
                defaults:
                  hot-partition-window: 0s
                  max-log-read-latency: 10m   # this busy test machine reads slowly: only small files count here
                  audit-schedule: "*/5 * * * * ?"
                  cooldown: 0s
                  max-partitions-per-job: 2   # three due partitions: two units
                tables:
                  - %s
                daemon:
                  http-address: 127.0.0.1:0
                  instance-id: %s
                  cluster-checkin-interval: 1s
                backends:
                  local: {core-hour-price: 3.6, cost-currency: EUR}
                """.formatted(table, instance));
        return config;
    }
}
