package io.deltaagent.submit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deltaagent.config.AgentConfig;
import io.deltaagent.config.ConfigLoader;
import io.deltaagent.error.ConfigException;
import io.deltaagent.policy.MaintenanceAction;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The backends: section read from YAML into each backend, with errors that name the key at fault. */
class BackendsTest {

    @TempDir
    Path tmp;

    private static final String ALL = """
            defaults:
              backend: emr
            backends:
              local: {cores: 1, heap: 1g}
              spark-submit:
                spark-home: %s
                master: k8s://https://k8s.example.com:6443
                jobs-jar: local:///opt/jobs.jar
                result-dir: s3a://ops/results
                spark-conf: {spark.kubernetes.namespace: maintenance}
                bytes-per-worker: 10GiB
              databricks:
                host: https://dbc-1.cloud.databricks.com
                spark-version: 15.4.x-scala2.12
                instance-pool-id: pool-1
                jobs-jar: /Volumes/main/ops/jars/jobs.jar
                result-dir: /Volumes/main/ops/results
                max-workers: 2
              emr:
                region: eu-west-1
                release-label: emr-7.5.0
                subnet-id: subnet-1
                service-role: EMR_DefaultRole_V2
                job-flow-role: EMR_EC2_DefaultRole
                log-uri: s3://ops/emr-logs
                master-instance-type: m5.xlarge
                worker-instance-types: [m5.2xlarge, m6i.2xlarge]
                jobs-jar: s3://ops/jars/jobs.jar
                result-dir: s3://ops/results
                tags: {team: platform}
              emr-serverless:
                region: eu-west-1
                application-id: 00abc
                execution-role-arn: arn:aws:iam::123456789012:role/delta-agent
                jobs-jar: s3://ops/jars/jobs.jar
                result-dir: s3://ops/results
            resilience: {failure-threshold: 3, open-duration: 1m}
            """;

    private Backends backends(String yaml) {
        AgentConfig config = new ConfigLoader().parse("agent.yaml", yaml);
        Path jobs = Paths.get(System.getProperty("deltaagent.sparkJobs.dir"));
        return new Backends(config.backends(), new Backends.Environment(new Configuration(), jobs, tmp, Clock.systemUTC(), Map.of()));
    }

    private String all() {
        return ALL.formatted(SparkHomes.fake(tmp));
    }

    @Test
    void everyBackendIsBuiltFromItsSectionAndSizedFromTheBytesItRewrites() {
        Backends backends = backends(all());
        JobSpec spec = new JobSpec("s3a://lake/t", MaintenanceAction.OPTIMIZE, null, List.of(), null, 25L << 30, 9);

        assertThat(backends.apply("local").clusterSpec(spec)).startsWith("local[1], heap 1g");
        assertThat(backends.apply("spark-submit").clusterSpec(spec)).isEqualTo("k8s://https://k8s.example.com:6443 (cluster mode), 3 executor(s), Spark 3.5");
        assertThat(backends.apply("databricks").clusterSpec(spec)).contains("2 worker");
        assertThat(backends.apply("emr").backend()).isEqualTo("emr");
        assertThat(backends.apply("emr-serverless").backend()).isEqualTo("emr-serverless");
        assertThat(backends.apply("emr")).as("one instance (and circuit breaker) per backend").isSameAs(backends.apply("emr"));
    }

    @Test
    void eachBackendEstimatesARunsCostFromItsPricesAndItsSize() {
        String yaml = all().replace("    max-workers: 2\n", "    max-workers: 2\n    node-hour-price: 0.40\n    dbu-per-node-hour: 0.75\n"
                + "    price-per-dbu: 0.15\n").replace("local: {cores: 1, heap: 1g}", "local: {cores: 4, heap: 1g, core-hour-price: 0.05, "
                + "cost-currency: EUR}");
        Backends backends = backends(yaml);
        JobSpec spec = new JobSpec("s3a://lake/t", MaintenanceAction.OPTIMIZE, null, List.of(), null, 25L << 30, 9);

        var databricks = backends.estimate("databricks", spec.bytesToRewrite(), java.time.Duration.ofMinutes(30)).orElseThrow();
        assertThat(databricks.basis()).as("2 workers (max-workers) and the driver").startsWith("3 nodes x 0.5000 h");
        assertThat(databricks.amount()).isEqualByComparingTo("0.7688");
        var local = backends.estimate("local", spec.bytesToRewrite(), java.time.Duration.ofMinutes(15)).orElseThrow();
        assertThat(local.amount()).isEqualByComparingTo("0.0500"); // 4 cores x 0.25 h x 0.05
        assertThat(local.currency()).isEqualTo("EUR");
        assertThat(backends.estimate("emr", spec.bytesToRewrite(), java.time.Duration.ofHours(1))).as("no prices, no estimate").isEmpty();
        assertThatThrownBy(() -> backends(all().replace("local: {cores: 1, heap: 1g}", "local: {core-hour-price: -1}")))
                .hasMessageContaining("backends.local.core-hour-price");
    }

    @Test
    void theDatabricksWorkspaceComesFromDatabricksHostWhenTheConfigHasNone() {
        String yaml = all().replace("    host: https://dbc-1.cloud.databricks.com\n", "");
        AgentConfig config = new ConfigLoader().parse("agent.yaml", yaml);
        Path jobs = Paths.get(System.getProperty("deltaagent.sparkJobs.dir"));
        JobSpec spec = new JobSpec("/t", MaintenanceAction.OPTIMIZE, null, List.of(), null, 1, 1);

        Backends fromEnv = new Backends(config.backends(), new Backends.Environment(new Configuration(), jobs, tmp, Clock.systemUTC(),
                Map.of("DATABRICKS_HOST", "https://dbc-2.cloud.databricks.com")));
        assertThat(fromEnv.apply("databricks").clusterSpec(spec)).contains("worker");
        assertThatThrownBy(() -> backends(yaml).apply("databricks")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("backends.databricks.host").hasMessageContaining("DATABRICKS_HOST");
    }

    @Test
    void commandLineLocalSettingsWinOverTheConfig() {
        AgentConfig config = new ConfigLoader().parse("agent.yaml", all());
        Path jobs = Paths.get(System.getProperty("deltaagent.sparkJobs.dir"));
        Backends.Environment env = new Backends.Environment(new Configuration(), jobs, tmp, Clock.systemUTC(), Map.of());
        JobSpec spec = new JobSpec("/t", MaintenanceAction.OPTIMIZE, null, List.of(), null, 1, 1);

        assertThat(new Backends(config.backends().withLocal(3, null), env).apply("local").clusterSpec(spec)).startsWith("local[3], heap 1g");
        assertThat(new Backends(config.backends().withLocal(null, "3g"), env).apply("local").clusterSpec(spec)).startsWith("local[1], heap 3g");
        assertThat(config.backends().withLocal(null, null)).isSameAs(config.backends());
        assertThatThrownBy(() -> config.backends().withLocal(0, null)).hasMessageContaining("must be 1 to 256");
    }

    @Test
    void errorsNameTheKeyAtFault() {
        assertThatThrownBy(() -> backends(all().replace("region: eu-west-1\n    release-label", "regoin: eu-west-1\n    release-label")))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("agent.yaml: unknown key 'backends.emr.regoin'; valid keys under 'backends.emr' are:");
        assertThatThrownBy(() -> backends(all().replace("spark-conf: {spark.kubernetes.namespace: maintenance}",
                "spark-conf: {spark.hadoop.fs.s3a.secret.key: abc}")))
                .hasMessageContaining("backends.spark-submit.spark-conf.spark.hadoop.fs.s3a.secret.key: secrets are not read")
                .hasMessageNotContaining("abc}");
        assertThatThrownBy(() -> backends(all().replace("    release-label: emr-7.5.0\n", "")).apply("emr"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("backends.emr.release-label");
        assertThatThrownBy(() -> backends(all().replace("instance-pool-id: pool-1", "node-type-id: i3.xlarge\n    instance-pool-id: pool-1"))
                .apply("databricks"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("backends.databricks.instance-pool-id");
        assertThatThrownBy(() -> backends("defaults:\n  backend: databricks\n"))
                .hasMessage("agent.yaml: defaults: backend 'databricks' is not configured; add a 'backends.databricks' section "
                        + "(configured: none)");
        assertThatThrownBy(() -> backends("tables:\n  - path: /t\n    backend: emr-servreless\n"))
                .hasMessageContaining("tables[0].backend").hasMessageContaining("local, spark-submit, databricks, emr, emr-serverless");
    }

    /** A Spark home with an executable bin/spark-submit, enough for settings that check it exists. */
    static final class SparkHomes {
        static Path fake(Path dir) {
            try {
                Path submit = dir.resolve("spark/bin/spark-submit");
                java.nio.file.Files.createDirectories(submit.getParent());
                java.nio.file.Files.writeString(submit, "#!/bin/sh\nexit 1\n");
                submit.toFile().setExecutable(true);
                return dir.resolve("spark");
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }
}
