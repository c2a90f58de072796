package io.deltaagent.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.deltaagent.storage.TablePaths;
import io.deltaagent.testing.DaemonProcess;
import io.deltaagent.testing.Eventually;
import io.deltaagent.testing.Fixtures;
import io.deltaagent.testing.PrometheusText;
import io.deltaagent.testing.ProtocolCommits;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 25: a catalog-managed table that needs maintenance is audited every cycle by the daemon, reported once, never
 * planned or retried, and shown as such in /api/tables and /metrics. A real daemon (its own JVM), no Spark job.
 */
class NotMaintainableDaemonTest {

    private static final String AUDIT_ATTEMPT = "deltaagent_table_last_audit_attempt_timestamp_seconds";

    @TempDir
    Path tmp;

    @Test
    void aCatalogManagedTableIsReportedOnceAndNeverRetried() throws Exception {
        Path dir = Fixtures.copy("spark_partitioned_checkpoints", Files.createDirectories(tmp.resolve("lake")));
        ProtocolCommits.makeCatalogManaged(dir, "catalogManaged", 1_796_600_000_000L);
        String table = TablePaths.canonical(dir.toString());
        Path config = Files.writeString(tmp.resolve("agent.yaml"), """
                defaults:
                  audit-schedule: "*/2 * * * * ?"
                  hot-partition-window: 0s
                tables:
                  - %s
                daemon:
                  http-address: 127.0.0.1:0
                  instance-id: not-maintainable-daemon
                """.formatted(dir));
        Path jobs = tmp.resolve("jobs");
        try (DaemonProcess daemon = DaemonProcess.start("daemon", tmp, config, "jdbc:h2:file:" + tmp.resolve("history"),
                jobs, Map.of(), null)) {
            Eventually.await("the audit", Duration.ofSeconds(120), () -> state(daemon, table),
                    t -> t != null && t.get("status").asText().equals("NOT_MAINTAINABLE"));
            double first = metrics(daemon).value(AUDIT_ATTEMPT, "table", table);
            Eventually.await("three more cycles", Duration.ofSeconds(60),
                    () -> metrics(daemon).value(AUDIT_ATTEMPT, "table", table), at -> at >= first + 6);

            JsonNode state = state(daemon, table);
            assertThat(state.get("status").asText()).isEqualTo("NOT_MAINTAINABLE");
            assertThat(state.get("breaches")).as("maintenance is due, and still not planned").isNotEmpty();
            assertThat(state.get("plan").get("actions")).isEmpty();
            assertThat(state.get("plan").get("notMaintainable").asText()).startsWith("not maintainable here: catalog-managed");
            assertThat(state.get("decisions")).as("never a candidate for admission").isEmpty();
            PrometheusText m = metrics(daemon);
            assertThat(m.value("deltaagent_table_not_maintainable", "table", table)).isEqualTo(1);
            assertThat(m.value("deltaagent_table_maintenance_due", "table", table)).isEqualTo(1);
            Matcher said = Pattern.compile("not maintainable here: catalog-managed").matcher(daemon.log());
            int times = 0;
            while (said.find()) {
                times++;
            }
            assertThat(times).as("reported once over several cycles").isEqualTo(1);
            assertThat(!Files.exists(jobs) || isEmpty(jobs)).as("no job submitted").isTrue();
        }
    }

    private static boolean isEmpty(Path dir) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.findAny().isEmpty();
        }
    }

    private static JsonNode state(DaemonProcess daemon, String table) {
        return DaemonEndToEndTest.table(daemon.json("/api/tables"), table);
    }

    private static PrometheusText metrics(DaemonProcess daemon) {
        return PrometheusText.parse(daemon.text("/metrics"));
    }
}
