package io.deltaagent.submit.sparksubmit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.deltaagent.cli.ExitCode;
import io.deltaagent.error.ConfigException;
import io.deltaagent.policy.MaintenanceAction;
import io.deltaagent.submit.ClusterSizing;
import io.deltaagent.submit.HadoopResultReader;
import io.deltaagent.submit.JobOutcome;
import io.deltaagent.submit.JobSpec;
import io.deltaagent.submit.JobState;
import io.deltaagent.testing.CliRun;
import io.deltaagent.testing.Eventually;
import io.deltaagent.testing.Fixtures;
import io.deltaagent.testing.HistoryDb;
import io.deltaagent.testing.SparkStandaloneCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The spark-submit backend against a real Spark standalone master and worker on 127.0.0.1, started from a
 * Spark 3.5 distribution: jobs go through bin/spark-submit, run their executors on the worker, and the master
 * keeps the account of what ran.
 */
class SparkSubmitBackendTest {

    @TempDir
    Path tmp;

    private static final Path RUNTIME = Paths.get(System.getProperty("deltaagent.sparkJobs.dir")).resolve("spark-runtime");

    /** The one jar of the Spark runtime whose name starts with {@code prefix} (then its version). */
    private static Path runtimeJar(String prefix) {
        try (java.util.stream.Stream<Path> jars = java.nio.file.Files.list(RUNTIME)) {
            List<Path> found = jars.filter(p -> p.getFileName().toString().startsWith(prefix)
                    && Character.isDigit(p.getFileName().toString().charAt(prefix.length()))).toList();
            if (found.size() != 1) {
                throw new IllegalStateException(RUNTIME + ": expected one " + prefix + "*.jar, found " + found);
            }
            return found.get(0);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void maintainCompactsATableOnTheStandaloneCluster() throws Exception {
        SparkStandaloneCluster cluster = SparkStandaloneCluster.shared();
        Path table = Fixtures.copy("spark_partitioned_checkpoints", tmp);
        Path config = tmp.resolve("agent.yaml");
        Files.writeString(config, """
                defaults:
                  hot-partition-window: 0s
                  max-log-read-latency: 1h
                  backend: spark-submit
                backends:
                  spark-submit:
                    spark-home: %s
                    master: %s
                    deploy-mode: client
                    jars: [%s, %s]
                    result-dir: %s
                    max-workers: 1
                    spark-conf:
                      spark.driver.memory: 1g
                      spark.executor.memory: 1g
                      spark.driver.host: 127.0.0.1
                      spark.driver.bindAddress: 127.0.0.1
                      spark.ui.enabled: "false"
                """.formatted(cluster.sparkHome(), cluster.masterUrl(), runtimeJar("delta-spark_2.12-"),
                runtimeJar("delta-storage-"), tmp.resolve("results")));
        String db = HistoryDb.h2(tmp);

        CliRun run = CliRun.of("maintain", "--config", config.toString(), "--history-db", db, "--format", "json", table.toString());

        assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(ExitCode.HEALTHY);
        JsonNode result = run.json().get("tables").get(0);
        JsonNode action = result.get("actions").get(0);
        assertThat(action.get("state").asText()).isEqualTo("SUCCEEDED");
        assertThat(action.get("cluster").asText()).startsWith(cluster.masterUrl() + " (client mode)");
        assertThat(result.get("before").get("files").asLong()).isEqualTo(150);
        assertThat(result.get("after").get("files").asLong()).isEqualTo(3);
        String appId = action.get("jobResult").get("sparkApplicationId").asText();
        assertThat(appId).as("an application of the standalone master, not local[*]").startsWith("app-");
        assertThat(cluster.status().get("completedapps").findValuesAsText("id")).contains(appId);

        String historyOut = CliRun.of("history", "--history-db", db, "--format", "json", table.toString()).out().trim();
        JsonNode history = new com.fasterxml.jackson.databind.ObjectMapper().readTree(historyOut);
        assertThat(history).as(historyOut).hasSize(1);
        assertThat(history.get(0).get("backend").asText()).isEqualTo("spark-submit");
        assertThat(history.get(0).path("after").path("files").asLong()).as(historyOut).isEqualTo(3);
    }

    @Test
    void aJobPastItsTimeoutIsKilledAndReportedTimedOut() throws Exception {
        SparkStandaloneCluster cluster = SparkStandaloneCluster.shared();
        Path table = Fixtures.copy("spark_partitioned_checkpoints", tmp);
        SparkSubmitSubmitter submitter = new SparkSubmitSubmitter(settings(cluster, "client", tmp.resolve("results").toString()),
                new HadoopResultReader(new Configuration()), tmp.resolve("work"), Clock.systemUTC());
        JobSpec spec = new JobSpec(table.toString(), MaintenanceAction.OPTIMIZE, null, List.of(), null, 1, 24);

        Instant start = Instant.now();
        JobOutcome outcome = submitter.run(spec, Duration.ofSeconds(15));

        assertThat(outcome.state()).isEqualTo(JobState.TIMED_OUT);
        assertThat(Duration.between(start, Instant.now())).isLessThan(Duration.ofSeconds(90));
        assertThat(outcome.message()).contains("longer than PT15S");
        // nothing of the job keeps running: no active application on the master once it notices the driver is gone
        Eventually.await("no active application on the master", Duration.ofSeconds(60), () -> cluster.status().get("activeapps"),
                JsonNode::isEmpty);
        assertThat(table.resolve("_delta_log/00000000000000000025.json")).as("the killed job committed nothing").doesNotExist();
    }

    @Test
    void settingsAreCheckedWithTheKeyAtFault() {
        assertThatThrownBy(() -> settings(null, "cluster", "/tmp/results"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("backends.spark-submit.result-dir")
                .hasMessageContaining("cluster deploy mode");
        SparkSubmitSettings noSubmit = new SparkSubmitSettings(tmp, "spark://127.0.0.1:7077", "client", "jobs.jar", List.of(), Map.of(),
                "/tmp/r", ClusterSizing.DEFAULT, Duration.ofSeconds(1));
        assertThatThrownBy(noSubmit::sparkSubmit).isInstanceOf(ConfigException.class)
                .hasMessageContaining("backends.spark-submit.spark-home").hasMessageContaining(tmp.toString());
    }

    @Test
    void maintainRefusesAMisconfiguredBackendBeforeAnyJob() throws Exception {
        Path table = Fixtures.copy("spark_partitioned_checkpoints", tmp);
        Path config = tmp.resolve("agent.yaml");
        Files.writeString(config, """
                defaults:
                  backend: spark-submit
                backends:
                  spark-submit:
                    spark-home: %s
                    master: spark://127.0.0.1:7077
                    deploy-mode: client
                """.formatted(tmp.resolve("no-spark")));
        CliRun run = CliRun.of("maintain", "--config", config.toString(), "--history-db", HistoryDb.h2(tmp, "h"),
                table.toString());
        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(run.err()).contains("backends.spark-submit.spark-home").contains("no executable bin/spark-submit");

        Files.writeString(config, "defaults:\n  backend: databricks\n");
        CliRun unconfigured = CliRun.of("maintain", "--config", config.toString(), table.toString());
        assertThat(unconfigured.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(unconfigured.err()).contains("backend 'databricks' is not configured").contains("backends.databricks");
    }

    private SparkSubmitSettings settings(SparkStandaloneCluster cluster, String mode, String resultDir) {
        Path jobsJar = io.deltaagent.submit.local.LocalSparkSubmitter.jobsJar(RUNTIME.getParent());
        return new SparkSubmitSettings(cluster == null ? tmp : cluster.sparkHome(), cluster == null ? "spark://127.0.0.1:7077"
                : cluster.masterUrl(), mode, jobsJar.toString(),
                List.of(runtimeJar("delta-spark_2.12-").toString(), runtimeJar("delta-storage-").toString()),
                Map.of("spark.driver.memory", "1g", "spark.executor.memory", "1g", "spark.driver.host", "127.0.0.1",
                        "spark.driver.bindAddress", "127.0.0.1", "spark.ui.enabled", "false"),
                resultDir, new ClusterSizing(1L << 30, 1, 1), Duration.ofSeconds(10));
    }
}
