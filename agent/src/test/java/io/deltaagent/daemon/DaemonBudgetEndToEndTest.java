package io.deltaagent.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.deltaagent.testing.DaemonProcess;
import io.deltaagent.testing.DeltaFiles;
import io.deltaagent.testing.Eventually;
import io.deltaagent.testing.Fixtures;
import io.deltaagent.testing.PrometheusText;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The budget and shadow mode in the daemon as operators run it (its own JVM, embedded H2, the real local backend) on
 * tables written by Spark: one Spark job in all.
 */
class DaemonBudgetEndToEndTest {

    @TempDir
    Path tmp;

    private Path config(Path lake, String daemon) throws Exception {
        return Files.writeString(tmp.resolve("agent.yaml"), """
                defaults:
                  hot-partition-window: 0s
                  max-log-read-latency: 10m
                  max-partitions-per-job: 100
                  min-small-files: 20
                  audit-schedule: "*/2 * * * * ?"
                discover:
                  - %s
                daemon:
                  http-address: 127.0.0.1:0
                  instance-id: budget-daemon
                %s""".formatted(lake, daemon));
    }

    private static List<JsonNode> decisions(DaemonProcess d) {
        List<JsonNode> out = new ArrayList<>();
        d.json("/api/decisions").get("decisions").forEach(out::add);
        return out;
    }

    @Test
    void theBudgetRunsTheBestScoreAndDefersTheRestThenCountsWhatTheJobMeasured() throws Exception {
        Path lake = Files.createDirectories(tmp.resolve("lake"));
        Path best = Fixtures.copy("spark_partitioned_checkpoints", lake); // 150 small files
        Path other = Fixtures.copy("spark_unpartitioned_nocheckpoint", lake); // 40 small files
        // each OPTIMIZE is forecast at 2 cores x about a minute (0.033 compute-hours): 0.04 pays for one
        Path config = config(lake, "  budget-compute-hours-per-day: 0.04\n");
        try (DaemonProcess daemon = DaemonProcess.start("daemon", tmp, config, "jdbc:h2:file:" + tmp.resolve("history"),
                tmp.resolve("jobs"), Map.of(), null)) {
            JsonNode settled = Eventually.await("the admitted run to end and settle its decision", Duration.ofMinutes(6),
                    () -> decisions(daemon).stream().filter(d -> d.get("verdict").asText().equals("ADMITTED")
                            && !d.get("measuredComputeHours").isNull()).findFirst().orElse(null), d -> d != null);
            assertThat(settled.get("table").asText()).as(daemon.log()).isEqualTo(best.toString());
            assertThat(settled.get("predictedFilesRemoved").asLong()).isGreaterThan(100);
            assertThat(settled.get("runId").isNull()).isFalse();
            JsonNode run = daemon.json("/api/history?table=" + best).get(0);
            assertThat(run.get("state").asText()).isEqualTo("SUCCEEDED");
            assertThat(run.get("id").asLong()).isEqualTo(settled.get("runId").asLong());
            double measured = settled.get("measuredComputeHours").asDouble();
            assertThat(measured).as("2 cores x the job's measured duration").isGreaterThan(0);

            JsonNode deferred = decisions(daemon).stream().filter(d -> d.get("table").asText().equals(other.toString())).findFirst()
                    .orElseThrow();
            assertThat(deferred.get("verdict").asText()).isEqualTo("BUDGET");
            assertThat(deferred.get("reason").asText()).contains("(daemon.budget-compute-hours-per-day)");

            JsonNode budget = daemon.json("/api/decisions").get("budget");
            assertThat(budget.get("unit").asText()).isEqualTo("compute-hours");
            double spent = decisions(daemon).stream().filter(d -> d.get("verdict").asText().equals("ADMITTED"))
                    .mapToDouble(d -> d.get("measuredComputeHours").isNull() ? d.get("predictedComputeHours").asDouble()
                            : d.get("measuredComputeHours").asDouble()).sum();
            assertThat(budget.get("spent").asDouble()).isCloseTo(spent, org.assertj.core.data.Offset.offset(1e-9));
            PrometheusText metrics = PrometheusText.parse(daemon.text("/metrics"));
            assertThat(metrics.value("deltaagent_actions_deferred_total", "reason", "budget")).isGreaterThanOrEqualTo(1);
            assertThat(metrics.value("deltaagent_budget_limit", "unit", "compute-hours")).isEqualTo(0.04);
        }
    }

    @Test
    void shadowModeWithTheLocalBackendStartsNoSparkAndCommitsNothing() throws Exception {
        Path lake = Files.createDirectories(tmp.resolve("lake"));
        Path a = Fixtures.copy("spark_partitioned_checkpoints", lake);
        Path b = Fixtures.copy("spark_unpartitioned_nocheckpoint", lake);
        long versionA = DeltaFiles.version(a);
        long versionB = DeltaFiles.version(b);
        Path jobs = tmp.resolve("jobs");
        try (DaemonProcess daemon = DaemonProcess.start("daemon", tmp, config(lake, "  shadow: true\n"),
                "jdbc:h2:file:" + tmp.resolve("history"), jobs, Map.of(), null)) {
            List<JsonNode> rows = Eventually.await("both tables' shadow decisions", Duration.ofMinutes(2),
                    () -> decisions(daemon), r -> r.size() >= 2);
            assertThat(rows).allSatisfy(r -> {
                assertThat(r.get("shadow").asBoolean()).isTrue();
                assertThat(r.get("verdict").asText()).isEqualTo("ADMITTED");
                assertThat(r.get("runId").isNull()).isTrue();
            });
            // a few more cycles: still nothing runs, and nothing is admitted twice at the same version
            Eventually.await("more cycles, each deferring what shadow admitted", Duration.ofSeconds(60),
                    () -> daemon.text("/metrics"), m -> m.matches("(?s).*deltaagent_actions_deferred_total\\{reason=\"in_flight\"} [2-9].*"));
            assertThat(decisions(daemon)).hasSize(2);
            assertThat(daemon.json("/api/history").size()).as("no run recorded").isZero();
            assertThat(daemon.log()).contains("shadow mode");
        }
        assertThat(DeltaFiles.version(a)).as("no commit in the log").isEqualTo(versionA);
        assertThat(DeltaFiles.version(b)).isEqualTo(versionB);
        try (Stream<Path> left = Files.exists(jobs) ? Files.list(jobs) : Stream.empty()) {
            assertThat(left).as("no Spark job was started (the local backend keeps each job's files here)").isEmpty();
        }
    }
}
