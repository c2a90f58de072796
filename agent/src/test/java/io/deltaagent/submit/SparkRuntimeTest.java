package io.deltaagent.submit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deltaagent.cli.ExitCode;
import io.deltaagent.config.AgentConfig;
import io.deltaagent.config.ConfigLoader;
import io.deltaagent.error.ConfigException;
import io.deltaagent.policy.MaintenanceAction;
import io.deltaagent.submit.local.JobsBuild;
import io.deltaagent.testing.CliRun;
import io.deltaagent.testing.Spark4Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each backend's spark-runtime: set, or derived from what the backend knows of its cluster; reported and validated. */
class SparkRuntimeTest {

    private static final JobSpec SPEC = new JobSpec("/t", MaintenanceAction.OPTIMIZE, null, List.of(), null, 1, 1);

    @TempDir
    Path tmp;

    private static Path jobs35() {
        return Paths.get(System.getProperty("deltaagent.sparkJobs.dir"));
    }

    private Backends backends(String yaml) {
        AgentConfig config = new ConfigLoader().parse("agent.yaml", yaml);
        return new Backends(config.backends(), new Backends.Environment(new Configuration(), jobs35(), tmp, Clock.systemUTC(), Map.of()));
    }

    /** A Spark home whose jars/ is a real Spark runtime (the jobs builds'), as a Spark distribution lays it out. */
    private Path sparkHome(String name, Path runtimeJars) throws IOException {
        Path home = Files.createDirectories(tmp.resolve(name));
        Files.createDirectories(home.resolve("bin"));
        Path submit = Files.writeString(home.resolve("bin/spark-submit"), "#!/bin/sh\nexit 1\n");
        submit.toFile().setExecutable(true);
        Files.createSymbolicLink(home.resolve("jars"), runtimeJars.toAbsolutePath());
        return home;
    }

    private static String remote(String sparkHome, String dbrVersion, String emrRelease, String extra) {
        return """
                backends:
                  spark-submit: {spark-home: %s, master: "spark://h:7077", deploy-mode: client, jobs-jar: /opt/jobs.jar, result-dir: /tmp/r%s}
                  databricks: {host: "https://dbc-1.cloud.databricks.com", spark-version: %s, instance-pool-id: p,
                               jobs-jar: /Volumes/a/b/jobs.jar, result-dir: /Volumes/a/b/r%s}
                  emr: {region: eu-west-1, release-label: %s, subnet-id: subnet-1, service-role: EMR_DefaultRole_V2,
                        job-flow-role: EMR_EC2_DefaultRole, log-uri: "s3://ops/emr-logs", master-instance-type: m5.xlarge,
                        worker-instance-types: [m5.2xlarge], jobs-jar: "s3://ops/jars/jobs.jar", result-dir: "s3://ops/results"%s}
                  emr-serverless: {region: eu-west-1, application-id: 00abc, execution-role-arn: "arn:aws:iam::123456789012:role/delta-agent",
                                   jobs-jar: "s3://ops/jars/jobs.jar", result-dir: "s3://ops/results"%s}
                """.formatted(sparkHome, extra, dbrVersion, extra, emrRelease, extra, extra);
    }

    @Test
    void eachRemoteBackendDerivesItsRuntimeFromItsClusterAndReportsIt() throws IOException {
        String spark35 = sparkHome("spark-3.5", jobs35().resolve("spark-runtime")).toString();
        String spark4 = sparkHome("spark-4", Spark4Fixtures.jobsDir().resolve("spark-runtime")).toString();

        Backends older = backends(remote(spark35, "15.4.x-scala2.12", "emr-7.5.0", ""));
        assertThat(older.apply("spark-submit").sparkRuntime()).isEqualTo(SparkRuntime.SPARK_3_5);
        assertThat(older.apply("databricks").sparkRuntime()).isEqualTo(SparkRuntime.SPARK_3_5);
        assertThat(older.apply("emr").sparkRuntime()).isEqualTo(SparkRuntime.SPARK_3_5);
        assertThat(older.apply("emr-serverless").sparkRuntime()).isEqualTo(SparkRuntime.SPARK_3_5);
        assertThat(older.apply("databricks").clusterSpec(SPEC)).endsWith(", Spark 3.5");

        Backends newer = backends(remote(spark4, "17.3.x-scala2.13", "emr-7.12.0", ""));
        assertThat(newer.apply("spark-submit").sparkRuntime()).as("from the Spark home's jars").isEqualTo(SparkRuntime.SPARK_4);
        assertThat(newer.apply("databricks").sparkRuntime()).as("DBR 17+").isEqualTo(SparkRuntime.SPARK_4);
        assertThat(newer.apply("emr").sparkRuntime()).as("EMR 7 runs Spark 3.5").isEqualTo(SparkRuntime.SPARK_3_5);
        assertThat(newer.apply("spark-submit").clusterSpec(SPEC)).endsWith(", Spark 4");

        Backends set = backends(remote(spark4, "17.3.x-scala2.13", "emr-7.12.0", ", spark-runtime: 3.5"));
        for (String backend : List.of("spark-submit", "databricks", "emr", "emr-serverless")) {
            assertThat(set.apply(backend).sparkRuntime()).as("%s: the setting wins", backend).isEqualTo(SparkRuntime.SPARK_3_5);
        }
        assertThat(SparkRuntime.forSparkHome(tmp.resolve("no-such-spark"))).isEmpty();
    }

    @Test
    void theLocalBackendRunsTheSpark4BuildBesideThe35One() {
        Backends defaults = backends("backends:\n  local: {cores: 1}\n");
        assertThat(defaults.apply("local").sparkRuntime()).as("the default").isEqualTo(SparkRuntime.SPARK_3_5);
        assertThat(defaults.apply("local").clusterSpec(SPEC)).endsWith(", Spark 3.5");

        Backends four = backends("backends:\n  local: {spark-runtime: 4, spark-jobs-dir: " + Spark4Fixtures.jobsDir() + "}\n");
        assertThat(four.apply("local").sparkRuntime()).isEqualTo(SparkRuntime.SPARK_4);
        assertThat(four.apply("local").clusterSpec(SPEC)).startsWith("local[2]").endsWith(", Spark 4");
    }

    @Test
    void aJobsBuildOfTheOtherRuntimeIsAConfigErrorNamingTheSetting() {
        assertThatThrownBy(() -> backends("backends:\n  local: {spark-runtime: 4, spark-jobs-dir: " + jobs35() + "}\n").apply("local"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("backends.local.spark-runtime is 4 but ")
                .hasMessageContaining("is the Spark 3.5 jobs build");
    }

    @Test
    void theSpark4BuildIsFoundInTheArchiveLayoutOrTheSourceTreeOrNamedAsMissing() throws IOException {
        Path archiveJobs = Files.createDirectories(tmp.resolve("delta-agent/jobs"));
        Files.createDirectories(archiveJobs.resolve("spark4/spark-runtime"));
        assertThat(JobsBuild.locate(archiveJobs, SparkRuntime.SPARK_4)).isEqualTo(archiveJobs.resolve("spark4"));
        assertThat(JobsBuild.locate(archiveJobs, SparkRuntime.SPARK_3_5)).isEqualTo(archiveJobs);

        Path tree = Files.createDirectories(tmp.resolve("src/spark-jobs/target"));
        Files.createDirectories(tmp.resolve("src/spark-jobs/spark4/target/spark-runtime"));
        assertThat(JobsBuild.locate(tree, SparkRuntime.SPARK_4)).isEqualTo(tmp.resolve("src/spark-jobs/spark4/target"));

        Path slim = Files.createDirectories(tmp.resolve("slim/jobs"));
        assertThatThrownBy(() -> JobsBuild.locate(slim, SparkRuntime.SPARK_4)).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("backends.local.spark-runtime: 4 needs the Spark 4 jobs build")
                .hasMessageContaining("the full release archive (it carries jobs/spark4/)");
    }

    @Test
    void aBadSparkRuntimeIsExit2NamingTheKey() throws IOException {
        assertThatThrownBy(() -> backends("backends:\n  databricks: {spark-runtime: \"3.4\"}\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("backends.databricks.spark-runtime").hasMessageContaining("3.5 or 4");

        Path config = Files.writeString(tmp.resolve("agent.yaml"), "backends:\n  local: {spark-runtime: 5}\n");
        CliRun run = CliRun.of("maintain", "--config", config.toString(), "--history-db", "jdbc:h2:file:" + tmp.resolve("h"),
                tmp.resolve("no-table").toString());
        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCode.USAGE);
        assertThat(run.err()).contains("backends.local.spark-runtime").contains("3.5 or 4");
    }

    @Test
    void databricksAndEmrVersionsMapToTheirSparkLine() {
        assertThat(SparkRuntime.forDatabricks("13.3.x-scala2.12")).isEqualTo(SparkRuntime.SPARK_3_5);
        assertThat(SparkRuntime.forDatabricks("16.4.x-scala2.13")).isEqualTo(SparkRuntime.SPARK_3_5);
        assertThat(SparkRuntime.forDatabricks("17.0.x-scala2.13")).isEqualTo(SparkRuntime.SPARK_4);
        assertThat(SparkRuntime.forDatabricks("18.1.x-photon-scala2.13")).isEqualTo(SparkRuntime.SPARK_4);
        assertThat(SparkRuntime.forDatabricks(null)).isEqualTo(SparkRuntime.SPARK_3_5);
        assertThat(SparkRuntime.forEmrRelease("emr-7.12.0")).isEqualTo(SparkRuntime.SPARK_3_5);
        assertThat(SparkRuntime.forEmrRelease("emr-8.0.0")).isEqualTo(SparkRuntime.SPARK_4);
        assertThatThrownBy(() -> SparkRuntime.parse("3")).hasMessage("'3' is not a Spark runtime; valid: 3.5, 4");
    }
}
