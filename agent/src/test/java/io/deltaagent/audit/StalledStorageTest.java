package io.deltaagent.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.deltaagent.cli.ExitCode;
import io.deltaagent.testing.CliRun;
import io.deltaagent.testing.DaemonProcess;
import io.deltaagent.testing.Eventually;
import io.deltaagent.testing.Fixtures;
import io.deltaagent.testing.HistoryDb;
import io.deltaagent.testing.PrometheusText;
import io.deltaagent.testing.SilentEndpoint;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * S3 endpoints that refuse or never answer: audits fail in seconds with the true cause, and a daemon keeps auditing
 * its healthy tables meanwhile. Loopback endpoints made by the test; dummy credentials.
 */
class StalledStorageTest {

    private static final Map<String, String> KEYS = Map.of("AWS_ACCESS_KEY_ID", "test-key", "AWS_SECRET_ACCESS_KEY", "not-a-secret");

    @TempDir
    Path tmp;

    /** Each test its own bucket: Hadoop caches a FileSystem per bucket in the JVM, with the endpoint it was made for. */
    private Path config(int port, String extra) throws Exception {
        Path config = tmp.resolve("agent-" + port + ".yaml");
        Files.writeString(config, extra + """
                hadoop:
                  fs.s3a.endpoint: "http://127.0.0.1:%d"
                  fs.s3a.path.style.access: "true"
                  fs.s3a.endpoint.region: us-east-1
                """.formatted(port));
        return config;
    }

    @Test
    void aClosedPortFailsInSecondsWithTheRefusal() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        long t0 = System.nanoTime();
        CliRun run = CliRun.of(KEYS, "audit", "--config", config(closed, "").toString(), "--format", "json", "s3a://lake/events");
        Duration took = Duration.ofNanos(System.nanoTime() - t0);

        assertThat(run.exitCode()).as("the only table unreadable for a transient cause: retry later").isEqualTo(ExitCode.TRANSIENT);
        JsonNode error = run.json().get("tables").get(0).get("error");
        assertThat(error.get("kind").asText()).isEqualTo("STORAGE_ERROR");
        assertThat(error.get("message").asText()).contains("s3a://lake/events").contains("Connection refused");
        assertThat(took).as("seconds, not the minutes Hadoop's defaults retry for").isLessThan(Duration.ofSeconds(20));
    }

    @Test
    void aSilentEndpointIsCutOffAtTheAuditTimeout() throws Exception {
        try (SilentEndpoint storage = new SilentEndpoint()) {
            long t0 = System.nanoTime();
            // long enough to reach the storage from a cold JVM (loading the AWS SDK takes seconds), short of S3A's own ~30 s
            CliRun run = CliRun.of(KEYS, "audit", "--config", config(storage.port(), "defaults:\n  audit-timeout: 8s\n").toString(),
                    "--format", "json", "s3a://silent/events");
            Duration took = Duration.ofNanos(System.nanoTime() - t0);

            assertThat(run.exitCode()).as("the only table unreadable for a transient cause: retry later").isEqualTo(ExitCode.TRANSIENT);
            JsonNode error = run.json().get("tables").get(0).get("error");
            assertThat(error.get("kind").asText()).isEqualTo("TIMED_OUT");
            assertThat(error.get("message").asText()).contains("s3a://silent/events")
                    .contains("did not finish within its audit-timeout of 8s").contains("stalled");
            assertThat(storage.accepted()).as("it reached the silent endpoint").isPositive();
            assertThat(took).isLessThan(Duration.ofSeconds(15));
        }
    }

    @Test
    void theDaemonKeepsAuditingAHealthyTableWhileAnotherStalls() throws Exception {
        Path lake = Files.createDirectories(tmp.resolve("lake"));
        Path healthy = Fixtures.copy("spark_optimized", lake);
        try (SilentEndpoint storage = new SilentEndpoint()) {
            Path config = config(storage.port(), """
                    defaults:
                      audit-schedule: "*/2 * * * * ?"
                      audit-timeout: 3s
                      max-log-read-latency: 1h
                    tables:
                      - s3a://stuck/events
                      - %s
                    daemon:
                      http-address: 127.0.0.1:0
                      instance-id: stalled-storage
                      max-concurrent-audits: 1
                    """.formatted(healthy));
            try (DaemonProcess daemon = DaemonProcess.start("daemon", tmp, config, HistoryDb.h2(tmp),
                    tmp.resolve("jobs"), KEYS, null)) {
                PrometheusText metrics = Eventually.await("three audits of the healthy table beside timed-out ones",
                        Duration.ofSeconds(60), () -> PrometheusText.parse(daemon.text("/metrics")),
                        m -> value(m, "healthy") >= 3 && value(m, "timed_out") >= 2);
                assertThat(value(metrics, "timed_out")).isGreaterThanOrEqualTo(2);
                // S3A's own 15 s timeouts end the abandoned reads later: meanwhile they are counted as stuck
                Eventually.await("a stuck read counted", Duration.ofSeconds(30), () -> PrometheusText.parse(daemon.text("/metrics")),
                        m -> m.value("deltaagent_audits_stuck") >= 1);
                assertThat(daemon.log()).contains("s3a://stuck/events: the audit did not finish within its audit-timeout of 3s");
                assertThat(daemon.get("/readyz", null).statusCode()).as("the healthy table is served: ready").isEqualTo(200);
            }
        }
    }

    @Test
    void theDaemonIsNotReadyWhileEveryAuditOfItsCycleTimesOut() throws Exception {
        try (SilentEndpoint storage = new SilentEndpoint()) {
            Path config = config(storage.port(), """
                    defaults:
                      audit-schedule: "*/2 * * * * ?"
                      audit-timeout: 2s
                    tables:
                      - s3a://stuck/events
                    daemon:
                      http-address: 127.0.0.1:0
                      instance-id: all-stalled
                    """);
            try (DaemonProcess daemon = DaemonProcess.start("daemon", tmp, config, HistoryDb.h2(tmp),
                    tmp.resolve("jobs"), KEYS, null)) {
                var readyz = Eventually.await("/readyz to say not ready", Duration.ofSeconds(60), () -> daemon.get("/readyz", null),
                        r -> r.statusCode() == 503);
                assertThat(readyz.body()).startsWith("not ready: every audit of the last cycle of schedule '*/2 * * * * ?' (1 table")
                        .contains("timed out: its storage stalls or is unreachable");
                assertThat(daemon.get("/healthz", null).statusCode()).as("alive all the same: a restart would not help").isEqualTo(200);
            }
        }
    }

    private static double value(PrometheusText metrics, String outcome) {
        try {
            return metrics.value("deltaagent_audits_total", "outcome", outcome);
        } catch (RuntimeException | AssertionError e) {
            return 0;
        }
    }
}
