package io.deltaagent.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.deltaagent.bench.S3BenchServer;
import io.deltaagent.testing.DaemonProcess;
import io.deltaagent.testing.Eventually;
import io.deltaagent.testing.Fixtures;
import io.deltaagent.testing.HistoryDb;
import io.deltaagent.testing.LatencyProxy.Fault;
import io.deltaagent.testing.PrometheusText;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A daemon (its own JVM) auditing tables in two buckets of the real S3Proxy behind the fault-injecting proxy: a bucket
 * answering {@code 503 SlowDown} is backed off as a whole (its requests stop while the other bucket's go on), its
 * tables are THROTTLED in /api/tables and counted by bucket, and no cycle counts them as unreadable; a per-bucket
 * request budget defers the rest of a bucket to the next cycle, in turn, so every table is still audited.
 */
class ThrottledDaemonTest {

    private static final String TABLE = "spark_optimized";
    private static final Pattern CYCLE = Pattern.compile("audit cycle '[^']*': tables=(\\d+) healthy=(\\d+) due=(\\d+) "
            + "unreadable=(\\d+) candidates=\\d+ admitted=\\d+ took=\\S+ \\S+ throttled=(\\d+) deferred=(\\d+)");

    @TempDir
    static Path dir;

    private static S3BenchServer server;

    @TempDir
    Path tmp;

    @BeforeAll
    static void start() throws Exception {
        server = S3BenchServer.start(Path.of(System.getProperty("deltaagent.s3proxy.jar")), dir, "cool", Duration.ZERO);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @AfterEach
    void clear() {
        server.proxy().clearFaults();
    }

    @Test
    void aThrottledBucketIsBackedOffAsAWholeWhileTheOtherBucketIsAuditedAndNoCycleFails() throws Exception {
        String hotA = server.placeTable("hot", "a/" + TABLE, Fixtures.table(TABLE));
        String hotB = server.placeTable("hot", "b/" + TABLE, Fixtures.table(TABLE));
        String coolA = server.placeTable("backoff/a", Fixtures.table(TABLE));
        String coolB = server.placeTable("backoff/b", Fixtures.table(TABLE));
        server.proxy().inject(Fault.SLOW_DOWN, "hot", 1.0, null);
        Path config = config(List.of(hotA, hotB, coolA, coolB), "throttle-backoff: 1h");

        try (DaemonProcess daemon = DaemonProcess.start("daemon", tmp, config, HistoryDb.h2(tmp), tmp.resolve("jobs"), env(), null)) {
            JsonNode tables = Eventually.await("the first cycle's states", Duration.ofSeconds(90), () -> daemon.json("/api/tables"),
                    t -> status(t, hotA) != null && status(t, hotB) != null && "HEALTHY".equals(status(t, coolA))
                            && "HEALTHY".equals(status(t, coolB)));
            assertThat(status(tables, hotA)).isEqualTo("THROTTLED");
            assertThat(state(tables, hotA).get("error").asText()).startsWith(hotA + ": storage error: ").endsWith("; retried next cycle");
            // one audit at a time: the second table of the bucket is not even started once the first was throttled
            assertThat(status(tables, hotB)).isEqualTo("THROTTLED");
            assertThat(state(tables, hotB).get("error").asText()).startsWith("bucket hot is throttled by the store: audits of it wait until ");

            long hotRequests = server.proxy().requestsTo("hot");
            long coolRequests = server.proxy().requestsTo("cool");
            int cycles = cycles(daemon.log()).size();
            Eventually.await("two more cycles", Duration.ofSeconds(60), () -> cycles(daemon.log()).size(), n -> n >= cycles + 2);
            assertThat(server.proxy().requestsTo("hot")).as("no request to the backed-off bucket").isEqualTo(hotRequests);
            assertThat(server.proxy().requestsTo("cool")).as("the other bucket is audited on").isGreaterThan(coolRequests);

            PrometheusText m = PrometheusText.parse(daemon.text("/metrics"));
            assertThat(m.value("deltaagent_storage_throttled_total", "bucket", "hot")).as("one throttled audit, then backed off").isEqualTo(1.0);
            assertThat(m.find("deltaagent_storage_throttled_total", "bucket", "cool")).isEmpty();
            assertThat(m.value("deltaagent_storage_deferred_total", "bucket", "hot", "reason", "throttled")).isGreaterThanOrEqualTo(3.0);
            assertThat(m.value("deltaagent_audits_total", "outcome", "throttled")).isEqualTo(1.0);
            assertThat(m.find("deltaagent_audits_total", "outcome", "error")).isEmpty();
            for (Matcher c : cycles(daemon.log())) {
                assertThat(c.group(4)).as("unreadable in %s", c.group()).isEqualTo("0");
                assertThat(Integer.parseInt(c.group(5)) + Integer.parseInt(c.group(6))).as(c.group()).isEqualTo(2);
            }
            assertThat(daemon.log()).contains(hotA + ": throttled by the store (bucket hot, 1 in a row)");
            assertThat(daemon.log()).contains(hotA + ": audit THROTTLED: " + hotA + ": storage error: ").doesNotContain("audit ERROR");
            assertThat(daemon.terminate(Duration.ofSeconds(60))).isZero();
        }
    }

    @Test
    void aSpentRequestBudgetDefersTheRestOfTheBucketToTheNextCycleInTurn() throws Exception {
        List<String> tables = List.of(server.placeTable("budget/a", Fixtures.table(TABLE)),
                server.placeTable("budget/b", Fixtures.table(TABLE)), server.placeTable("budget/c", Fixtures.table(TABLE)));
        // one request: the first audit of each cycle spends it, the others wait for a later cycle
        Path config = config(tables, "storage-request-budget: 1");

        try (DaemonProcess daemon = DaemonProcess.start("daemon", tmp, config, HistoryDb.h2(tmp), tmp.resolve("jobs"), env(), null)) {
            JsonNode first = Eventually.await("the first cycle", Duration.ofSeconds(90), () -> daemon.json("/api/tables"),
                    t -> tables.stream().allMatch(p -> status(t, p) != null));
            assertThat(tables.stream().map(p -> status(first, p)).toList()).containsExactlyInAnyOrder("HEALTHY", "DEFERRED", "DEFERRED");
            JsonNode deferred = tables.stream().map(p -> state(first, p)).filter(s -> s.get("status").asText().equals("DEFERRED"))
                    .findFirst().orElseThrow();
            assertThat(deferred.get("error").asText()).matches("bucket cool spent this cycle's request budget \\(\\d+ of "
                    + "daemon.storage-request-budget 1\\); audited next cycle");

            // in turn: the tables deferred go first next cycle, so within three cycles each one has figures
            Eventually.await("every table audited once", Duration.ofSeconds(60), () -> daemon.json("/api/tables"),
                    t -> tables.stream().allMatch(p -> state(t, p).get("health") != null && !state(t, p).get("health").isNull()));
            PrometheusText m = PrometheusText.parse(daemon.text("/metrics"));
            assertThat(m.value("deltaagent_storage_deferred_total", "bucket", "cool", "reason", "deferred")).isGreaterThanOrEqualTo(2.0);
            assertThat(m.find("deltaagent_storage_throttled_total")).isEmpty();
            assertThat(cycles(daemon.log())).as("the cycles' log lines").hasSizeGreaterThanOrEqualTo(3);
            for (Matcher c : cycles(daemon.log())) {
                assertThat(c.group(4)).as("unreadable in %s", c.group()).isEqualTo("0");
                assertThat(c.group(6)).as("two of three deferred in %s", c.group()).isEqualTo("2");
            }
            assertThat(daemon.terminate(Duration.ofSeconds(60))).isZero();
        }
    }

    private Path config(List<String> tables, String daemonKey) throws Exception {
        StringBuilder yaml = new StringBuilder("""
                defaults:
                  max-log-read-latency: 10m
                  audit-schedule: "*/2 * * * * ?"
                daemon:
                  http-address: 127.0.0.1:0
                  max-concurrent-audits: 1
                  incremental-audits: false
                """);
        yaml.append("  ").append(daemonKey).append("\ntables:\n");
        tables.forEach(t -> yaml.append("  - ").append(t).append('\n'));
        yaml.append("hadoop:\n");
        Map<String, String> s3a = new java.util.LinkedHashMap<>(server.s3aSettings(true));
        s3a.put("fs.s3a.retry.throttle.limit", "2");
        s3a.put("fs.s3a.retry.throttle.interval", "50ms");
        s3a.forEach((k, v) -> {
            if (!k.equals("fs.s3a.access.key") && !k.equals("fs.s3a.secret.key")) {
                yaml.append("  ").append(k).append(": \"").append(v).append("\"\n");
            }
        });
        return Files.writeString(tmp.resolve("agent.yaml"), yaml);
    }

    private static Map<String, String> env() {
        return Map.of("AWS_ACCESS_KEY_ID", S3BenchServer.ACCESS_KEY, "AWS_SECRET_ACCESS_KEY", S3BenchServer.SECRET_KEY);
    }

    private static List<Matcher> cycles(String log) {
        List<Matcher> out = new java.util.ArrayList<>();
        Matcher m = CYCLE.matcher(log);
        while (m.find()) {
            Matcher one = CYCLE.matcher(m.group());
            one.find();
            out.add(one);
        }
        return out;
    }

    private static JsonNode state(JsonNode tables, String table) {
        for (JsonNode t : tables) {
            if (t.get("table").asText().equals(table)) {
                return t;
            }
        }
        return null;
    }

    private static String status(JsonNode tables, String table) {
        JsonNode s = state(tables, table);
        return s == null ? null : s.get("status").asText();
    }
}
