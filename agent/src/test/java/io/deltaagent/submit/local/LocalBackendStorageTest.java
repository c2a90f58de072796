package io.deltaagent.submit.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.deltaagent.cli.ExitCode;
import io.deltaagent.storage.HadoopConfFactory;
import io.deltaagent.submit.JobStorage;
import io.deltaagent.testing.CliRun;
import io.deltaagent.testing.Fixtures;
import io.deltaagent.testing.HistoryDb;
import io.deltaagent.testing.S3TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local backend's jobs reach the table's storage as the agent does: the config's hadoop: settings, the credentials
 * of the agent's environment, S3A for s3:// tables; and a table on a store its Spark runtime cannot open is refused by
 * name instead of failing deep in the job.
 */
class LocalBackendStorageTest {

    @TempDir
    Path tmp;

    @Test
    void theLocalBackendCheckpointsAnS3SchemeTableThroughS3A() throws Exception {
        S3TestServer s3 = S3TestServer.shared();
        String bucket = s3.createBucket("local-s3-" + UUID.randomUUID().toString().substring(0, 8));
        Configuration conf = HadoopConfFactory.create(Map.of(), Map.of());
        s3.s3aSettings().forEach(conf::set);
        org.apache.hadoop.fs.Path src = new org.apache.hadoop.fs.Path(Fixtures.table("spark_unpartitioned_nocheckpoint").toUri());
        org.apache.hadoop.fs.Path dst = new org.apache.hadoop.fs.Path("s3a://" + bucket + "/t");
        FileUtil.copy(src.getFileSystem(conf), src, dst.getFileSystem(conf), dst, false, conf);
        String table = "s3://" + bucket + "/t";

        Path config = tmp.resolve("agent.yaml");
        StringBuilder yaml = new StringBuilder("defaults:\n  max-commits-since-checkpoint: 1\n  min-small-files: 100000\n"
                + "  max-log-read-latency: 1h\nhadoop:\n");
        s3.s3aSettings().forEach((k, v) -> {
            if (!k.equals("fs.s3a.access.key") && !k.equals("fs.s3a.secret.key")) {
                yaml.append("  ").append(k).append(": \"").append(v).append("\"\n");
            }
        });
        Files.writeString(config, yaml);
        // the keys only in the agent's environment: the job gets them from there
        Map<String, String> env = Map.of("AWS_ACCESS_KEY_ID", s3.accessKey(), "AWS_SECRET_ACCESS_KEY", s3.secretKey());

        CliRun run = CliRun.of(env, "maintain", "--config", config.toString(), "--history-db", HistoryDb.h2(tmp, "h"),
                "--format", "json", "--local-heap", "1g", table);

        assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(ExitCode.HEALTHY);
        JsonNode result = run.json().get("tables").get(0);
        assertThat(result.get("table").asText()).isEqualTo(table);
        assertThat(result.get("status").asText()).isEqualTo("HEALED");
        assertThat(result.get("actions")).singleElement().satisfies(a -> {
            assertThat(a.get("action").asText()).isEqualTo("CHECKPOINT");
            assertThat(a.get("state").asText()).isEqualTo("SUCCEEDED");
        });
        // the checkpoint is in the bucket, whichever scheme reads it
        assertThat(dst.getFileSystem(conf).exists(new org.apache.hadoop.fs.Path(dst, "_delta_log/00000000000000000004.checkpoint.parquet")))
                .isTrue();
        CliRun audit = CliRun.of(env, "audit", "--config", config.toString(), "--format", "json", "s3a://" + bucket + "/t");
        assertThat(audit.json().get("tables").get(0).get("health").get("log").get("lastCheckpointVersion").asLong()).isEqualTo(4);
    }

    @Test
    void jobsGetTheConfigsStorageSettingsTheEnvironmentsCredentialsAndS3AForS3Tables() throws Exception {
        JobStorage storage = JobStorage.of(Map.of("fs.s3a.endpoint", "http://127.0.0.1:9000"),
                Map.of("AWS_ACCESS_KEY_ID", "AKIA1", "AWS_SECRET_ACCESS_KEY", "s3cret", "GOOGLE_APPLICATION_CREDENTIALS", "/k.json",
                        "AZURE_CLIENT_SECRET", "az", "HOME", "/root", "DATABRICKS_TOKEN", "dapi1"));
        LocalSparkSubmitter submitter = new LocalSparkSubmitter(Path.of(System.getProperty("deltaagent.sparkJobs.dir")), tmp, 1, "1g", Clock.systemUTC(), storage);
        io.deltaagent.submit.JobSpec s3 = new io.deltaagent.submit.JobSpec("s3://lake/t",
                io.deltaagent.policy.MaintenanceAction.CHECKPOINT, null, java.util.List.of(), null, 0, 4);

        assertThat(submitter.command(s3, tmp.resolve("r.json"))).contains("-Dspark.hadoop.fs.s3a.endpoint=http://127.0.0.1:9000",
                "-Dspark.hadoop.fs.s3.impl=org.apache.hadoop.fs.s3a.S3AFileSystem")
                .noneMatch(arg -> arg.contains("s3cret") || arg.contains("AKIA1"));
        assertThat(storage.env()).containsOnlyKeys("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "GOOGLE_APPLICATION_CREDENTIALS",
                "AZURE_CLIENT_SECRET");
        assertThat(storage.hadoopFor("s3a://lake/t")).doesNotContainKey("fs.s3.impl");
        assertThat(storage.hadoopFor("/data/t")).doesNotContainKey("fs.s3.impl");
        assertThat(JobStorage.of(Map.of("fs.s3.impl", "com.amazon.ws.emr.hadoop.fs.EmrFileSystem"), Map.of()).hadoopFor("s3://lake/t"))
                .as("the config's own mapping wins").containsEntry("fs.s3.impl", "com.amazon.ws.emr.hadoop.fs.EmrFileSystem");

        assertThat(submitter.missingConnector("s3://lake/t")).isNull();
        assertThat(submitter.missingConnector("/data/t")).isNull();
        assertThat(submitter.missingConnector("gs://lake/t")).startsWith("the local backend cannot maintain gs:// tables: ")
                .contains("has no the GCS connector");
        assertThat(submitter.missingConnector("abfss://c@acct.dfs.core.windows.net/t")).contains("hadoop-azure");
    }
}
