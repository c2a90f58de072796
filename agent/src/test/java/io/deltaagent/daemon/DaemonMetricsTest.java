package io.deltaagent.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltaagent.storage.TablePaths;
import io.deltaagent.testing.DaemonProcess;
import io.deltaagent.testing.Eventually;
import io.deltaagent.testing.Fixtures;
import io.deltaagent.testing.HistoryDb;
import io.deltaagent.testing.PrometheusText;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What /metrics says of a table the daemon keeps failing to audit. A real daemon (its own JVM), no Spark job. */
class DaemonMetricsTest {

    private static final String LAST_AUDIT = "deltaagent_table_last_audit_timestamp_seconds";
    private static final String LAST_ATTEMPT = "deltaagent_table_last_audit_attempt_timestamp_seconds";

    @TempDir
    Path tmp;

    @Test
    void aTableWhoseDirectoryVanishedKeepsItsLastSuccessfulAuditTimeWhileItsAttemptsAdvance() throws Exception {
        Path dir = Fixtures.copy("spark_optimized", Files.createDirectories(tmp.resolve("lake")));
        String table = TablePaths.canonical(dir.toString());
        Path config = Files.writeString(tmp.resolve("agent.yaml"), """
                defaults:
                  audit-schedule: "*/2 * * * * ?"
                tables:
                  - %s
                daemon:
                  http-address: 127.0.0.1:0
                  instance-id: metrics-daemon
                """.formatted(dir));
        try (DaemonProcess daemon = DaemonProcess.start("daemon", tmp, config, HistoryDb.h2(tmp),
                tmp.resolve("jobs"), Map.of(), null)) {
            Eventually.await("a successful audit", Duration.ofSeconds(120), () -> status(daemon, table), "HEALTHY"::equals);
            double healthyAt = metrics(daemon).value(LAST_AUDIT, "table", table);
            assertThat(healthyAt).isPositive();

            Instant deleted = Instant.now();
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
            assertThat(dir).doesNotExist();
            Eventually.await("a failed audit", Duration.ofSeconds(60), () -> status(daemon, table), "ERROR"::equals);
            double lastSuccess = metrics(daemon).value(LAST_AUDIT, "table", table);
            assertThat(lastSuccess).as("the last audit that read the table was before its directory went")
                    .isBetween(healthyAt, (double) deleted.getEpochSecond() + 1);

            Eventually.await("several failed audits since", Duration.ofSeconds(60),
                    () -> metrics(daemon).value(LAST_ATTEMPT, "table", table), at -> at >= lastSuccess + 5);
            PrometheusText m = metrics(daemon);
            assertThat(m.value(LAST_AUDIT, "table", table)).as("failed audits do not advance the last audit").isEqualTo(lastSuccess);
            assertThat(m.value("deltaagent_audits_total", "outcome", "error")).isGreaterThanOrEqualTo(2);
            assertThat(status(daemon, table)).isEqualTo("ERROR");
        }
    }

    private static PrometheusText metrics(DaemonProcess daemon) {
        return PrometheusText.parse(daemon.text("/metrics"));
    }

    private static String status(DaemonProcess daemon, String table) {
        var t = DaemonEndToEndTest.table(daemon.json("/api/tables"), table);
        return t == null ? null : t.get("status").asText();
    }
}
