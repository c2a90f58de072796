package io.deltaagent.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.deltaagent.testing.S3TestServer;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** optimize and checkpoint on s3a:// against the loopback S3 server the audit tests use (S3TestServer). */
class S3JobsTest {

    private static SparkSession spark;
    private static String bucket;

    @BeforeAll
    static void s3() {
        S3TestServer server = S3TestServer.shared();
        bucket = server.createBucket("jobs-" + UUID.randomUUID().toString().substring(0, 8));
        spark = SparkTestSession.get();
        Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        server.s3aSettings().forEach(hadoop::set);
    }

    private static String smallFileTable(String name, int commits) {
        String table = "s3a://" + bucket + "/" + name;
        for (int c = 0; c < commits; c++) {
            spark.range(c * 100L, (c + 1) * 100L).selectExpr("id", "concat('row-', id) AS name")
                    .repartition(4).write().format("delta").mode("append").save(table);
        }
        return table;
    }

    @Test
    void optimizeCompactsATableOnS3() {
        String table = smallFileTable("events", 5);
        TableData.Fingerprint before = TableData.fingerprint(spark, table);
        assertThat(TableData.files(spark, table)).isEqualTo(20);
        String resultUri = "s3a://" + bucket + "/results/optimize.json";

        JobCli.Run run = JobCli.run("optimize", "--table", table, "--result", resultUri);

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(run.result().get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(run.result().get("filesRemoved").asLong()).isEqualTo(20);
        assertThat(run.result().get("filesAdded").asLong()).isEqualTo(1);
        assertThat(TableData.files(spark, table)).isEqualTo(1);
        assertThat(TableData.fingerprint(spark, table)).isEqualTo(before);
        // the same result document was written to the s3a --result URI
        JsonNode written = JobCli.parse(spark.read().textFile(resultUri).collectAsList().get(0));
        assertThat(written.get("versionAfter").asLong()).isEqualTo(run.result().get("versionAfter").asLong());
    }

    @Test
    void checkpointWritesACheckpointAtTheLatestVersionOnS3() throws Exception {
        String table = smallFileTable("orders", 3);
        long latest = TableData.version(spark, table);

        JobCli.Run run = JobCli.run("checkpoint", "--table", table);

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(run.result().get("log").get("checkpointVersion").asLong()).isEqualTo(latest);
        Path log = new Path(table + "/_delta_log");
        FileSystem fs = log.getFileSystem(spark.sparkContext().hadoopConfiguration());
        long objects = 0;
        boolean checkpoint = false;
        for (RemoteIterator<LocatedFileStatus> it = fs.listFiles(log, true); it.hasNext(); ) {
            objects++;
            checkpoint |= it.next().getPath().getName().equals(String.format("%020d.checkpoint.parquet", latest));
        }
        assertThat(checkpoint).isTrue();
        assertThat(run.result().get("log").get("objectsAfter").asLong()).isEqualTo(objects);
        assertThat(TableData.fingerprint(spark, table).rows()).isEqualTo(300);
    }
}
