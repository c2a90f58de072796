package io.deltaagent.storage;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.deltaagent.cli.ExitCode;
import io.deltaagent.testing.CliRun;
import io.deltaagent.testing.FakeGcsServer;
import io.deltaagent.testing.Fixtures;
import io.deltaagent.testing.S3TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileUtil;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One Spark-written table copied to S3 (S3Proxy) and GCS (fake-gcs-server), audited as {@code s3a://}, {@code s3://},
 * {@code s3n://} and {@code gs://} beside its local copy: the same figures whichever way it is named.
 */
class StorageSchemesAuditTest {

    private static final String TABLE = "spark_optimized";

    private static S3TestServer s3;
    private static FakeGcsServer gcs;
    private static String bucket;
    private static String gcsBucket;

    @BeforeAll
    static void upload() throws Exception {
        s3 = S3TestServer.shared();
        gcs = FakeGcsServer.shared();
        bucket = s3.createBucket("schemes-" + UUID.randomUUID().toString().substring(0, 8));
        gcsBucket = gcs.createBucket("schemes-" + UUID.randomUUID().toString().substring(0, 8));
        Configuration conf = HadoopConfFactory.create(Map.of(), Map.of());
        s3.s3aSettings().forEach(conf::set);
        gcs.gcsSettings().forEach(conf::set);
        org.apache.hadoop.fs.Path src = new org.apache.hadoop.fs.Path(Fixtures.table(TABLE).toUri());
        for (String dst : new String[] {"s3a://" + bucket + "/t", "gs://" + gcsBucket + "/t"}) {
            org.apache.hadoop.fs.Path to = new org.apache.hadoop.fs.Path(dst);
            FileUtil.copy(src.getFileSystem(conf), src, to.getFileSystem(conf), to, false, conf);
        }
    }

    @Test
    void s3AndGsTablesAuditWithTheFiguresOfTheLocalCopy(@TempDir Path tmp) throws Exception {
        Path config = tmp.resolve("agent.yaml");
        StringBuilder yaml = new StringBuilder("hadoop:\n");
        s3.s3aSettings().forEach((k, v) -> {
            if (!k.equals("fs.s3a.access.key") && !k.equals("fs.s3a.secret.key")) {
                yaml.append("  ").append(k).append(": \"").append(v).append("\"\n");
            }
        });
        gcs.gcsSettings().forEach((k, v) -> yaml.append("  ").append(k).append(": \"").append(v).append("\"\n"));
        Files.writeString(config, yaml);
        Map<String, String> env = Map.of("AWS_ACCESS_KEY_ID", s3.accessKey(), "AWS_SECRET_ACCESS_KEY", s3.secretKey());
        String local = Fixtures.table(TABLE).toString();

        CliRun run = CliRun.of(env, "audit", "--config", config.toString(), "--format", "json", local, "s3a://" + bucket + "/t",
                "s3://" + bucket + "/t", "s3n://" + bucket + "/t", "gs://" + gcsBucket + "/t");

        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCode.HEALTHY);
        assertThat(run.err()).as("the GCS connector's java.util.logging lines go through logback's levels")
                .doesNotContain("WARNING");
        JsonNode tables = run.json().get("tables");
        assertThat(tables).hasSize(5);
        JsonNode localFigures = figures(tables.get(0).get("health"));
        assertThat(localFigures.get("files").get("activeFiles").asLong()).isEqualTo(Fixtures.truth(TABLE).get("numFiles").asLong());
        assertThat(localFigures.get("tombstones").get("count").asLong()).isEqualTo(Fixtures.truth(TABLE).get("tombstones").asLong());
        for (int i = 1; i < 5; i++) {
            JsonNode table = tables.get(i);
            assertThat(table.get("status").asText()).as(table.toString()).isEqualTo("HEALTHY");
            assertThat(figures(table.get("health"))).as(table.get("table").asText()).isEqualTo(localFigures);
        }
        assertThat(tables.get(2).get("table").asText()).as("the table keeps the name it was given").isEqualTo("s3://" + bucket + "/t");
        // s3:// and s3n:// go through S3A as s3a:// does: its listing through S3A's client, its request counts
        JsonNode s3aRequests = tables.get(1).get("health").get("readCost").get("requests");
        assertThat(s3aRequests.get("list").asLong()).isEqualTo(1);
        for (int i = 2; i < 4; i++) {
            assertThat(tables.get(i).get("health").get("readCost").get("requests")).isEqualTo(s3aRequests);
        }
    }

    @Test
    void discoveryBelowS3AndGsRootsNamesTablesByTheRootsSchemeAndPerBucketSettingsApplyToS3(@TempDir Path tmp) throws Exception {
        Path config = tmp.resolve("agent.yaml");
        // every S3A setting for this bucket only (fs.s3a.bucket.NAME.*): S3A applies them to s3:// as to s3a://
        StringBuilder yaml = new StringBuilder("hadoop:\n");
        s3.s3aSettings().forEach((k, v) -> {
            if (!k.equals("fs.s3a.access.key") && !k.equals("fs.s3a.secret.key")) {
                yaml.append("  ").append(k.replace("fs.s3a.", "fs.s3a.bucket." + bucket + ".")).append(": \"").append(v).append("\"\n");
            }
        });
        gcs.gcsSettings().forEach((k, v) -> yaml.append("  ").append(k).append(": \"").append(v).append("\"\n"));
        Files.writeString(config, yaml);
        Map<String, String> env = Map.of("AWS_ACCESS_KEY_ID", s3.accessKey(), "AWS_SECRET_ACCESS_KEY", s3.secretKey());

        CliRun run = CliRun.of(env, "audit", "--config", config.toString(), "--format", "json", "--discover", "s3://" + bucket + "/",
                "--discover", "gs://" + gcsBucket);

        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCode.HEALTHY);
        List<String> found = new java.util.ArrayList<>();
        run.json().get("tables").forEach(t -> found.add(t.get("table").asText()));
        assertThat(found).containsExactlyInAnyOrder("s3://" + bucket + "/t", "gs://" + gcsBucket + "/t");
    }

    /** The health figures that depend on the table alone: not its name, when it was measured, or object times. */
    private static JsonNode figures(JsonNode health) {
        com.fasterxml.jackson.databind.node.ObjectNode f = health.deepCopy();
        f.remove(List.of("table", "measuredAt", "readCost"));
        ((com.fasterxml.jackson.databind.node.ObjectNode) f.get("identity")).remove("location");
        // from the commit file's modification time: the copy's, not the original's
        ((com.fasterxml.jackson.databind.node.ObjectNode) f.get("activity")).remove("lastCommitTime");
        // now minus the retention
        ((com.fasterxml.jackson.databind.node.ObjectNode) f.get("tombstones")).remove("vacuumableBefore");
        return f;
    }
}
