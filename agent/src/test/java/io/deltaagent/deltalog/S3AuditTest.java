package io.deltaagent.deltalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.deltaagent.audit.SettingsThresholds;
import io.deltaagent.cli.ExitCode;
import io.deltaagent.config.ReaderChoice;
import io.deltaagent.config.TableSettings;
import io.deltaagent.deltalog.segment.LogFile;
import io.deltaagent.deltalog.segment.LogObjects;
import io.deltaagent.deltalog.storage.HadoopStorage;
import io.deltaagent.health.TableHealth;
import io.deltaagent.storage.TableLocation;
import io.deltaagent.testing.CliRun;
import io.deltaagent.testing.Fixtures;
import io.deltaagent.testing.LogDirTruth;
import io.deltaagent.testing.S3TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.FileUtil;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The same audit through S3A against a real S3 protocol server on loopback (see {@link S3TestServer}). */
class S3AuditTest {

    private static final String PARTITIONED = "spark_partitioned_checkpoints";
    private static final String OPTIMIZED = "spark_optimized";

    private static S3TestServer server;
    private static String bucket;
    private static Configuration conf;

    @BeforeAll
    static void upload() throws Exception {
        server = S3TestServer.shared();
        bucket = server.createBucket("lake-" + UUID.randomUUID().toString().substring(0, 8));
        conf = new Configuration();
        server.s3aSettings().forEach(conf::set);
        for (String name : List.of(PARTITIONED, OPTIMIZED)) {
            org.apache.hadoop.fs.Path src = new org.apache.hadoop.fs.Path(Fixtures.table(name).toUri());
            org.apache.hadoop.fs.Path dst = new org.apache.hadoop.fs.Path("s3a://" + bucket + "/tables/" + name);
            FileUtil.copy(src.getFileSystem(conf), src, dst.getFileSystem(conf), dst, false, conf);
        }
    }

    private static String s3(String name) {
        return "s3a://" + bucket + "/tables/" + name;
    }

    @Test
    void s3AuditEqualsGroundTruthAndCountsRequests() {
        JsonNode truth = Fixtures.truth(PARTITIONED);
        LogDirTruth log = LogDirTruth.of(Fixtures.table(PARTITIONED));
        TableHealth h = new LogHealthReader(new HadoopStorage(conf), Clock.systemUTC()).read(TableLocation.of(s3(PARTITIONED)),
                SettingsThresholds.of(TableSettings.defaults()));

        assertThat(h.identity().location()).isEqualTo(s3(PARTITIONED));
        assertThat(h.files().activeFiles()).isEqualTo(truth.get("numFiles").asLong());
        assertThat(h.files().totalBytes()).isEqualTo(truth.get("sizeInBytes").asLong());
        assertThat(h.identity().version()).isEqualTo(truth.get("version").asLong());
        assertThat(h.log().objects()).isEqualTo(log.objects());
        assertThat(h.log().bytes()).isEqualTo(log.bytes());
        assertThat(h.log().lastCheckpointVersion()).isEqualTo(20L);
        assertThat(h.log().commitsSinceCheckpoint()).isEqualTo(4);
        assertThat(h.files().partitions()).isEqualTo(3);
        assertThat(h.readCost().countersSource()).isEqualTo("s3a");
        assertThat(h.readCost().listRequests()).isPositive();
        // the snapshot reads at least the checkpoint and the 4 commits after it
        assertThat(h.readCost().getRequests()).isGreaterThanOrEqualTo(5);
        assertThat(h.readCost().headRequests()).isNotNull();
    }

    @Test
    void projectedReaderOnS3EqualsGroundTruthAndDeltaKernel() {
        for (String name : List.of(PARTITIONED, OPTIMIZED)) {
            JsonNode truth = Fixtures.truth(name);
            LogHealthReader reader = new LogHealthReader(new HadoopStorage(conf), Clock.systemUTC());
            TableHealth projected = reader.read(TableLocation.of(s3(name)), SettingsThresholds.of(TableSettings.defaults().withReader(ReaderChoice.PROJECTED)));
            TableHealth kernel = reader.read(TableLocation.of(s3(name)), SettingsThresholds.of(TableSettings.defaults().withReader(ReaderChoice.KERNEL)));

            assertThat(projected.reader()).isEqualTo("projected");
            assertThat(projected.files().activeFiles()).isEqualTo(truth.get("numFiles").asLong());
            assertThat(projected.files().totalBytes()).isEqualTo(truth.get("sizeInBytes").asLong());
            assertThat(projected.tombstones().count()).isEqualTo(truth.get("tombstones").asLong());
            assertThat(projected.identity()).isEqualTo(kernel.identity());
            assertThat(projected.files()).isEqualTo(kernel.files());
            // the commits after the checkpoint and the checkpoint's footer at least
            assertThat(projected.readCost().getRequests()).isPositive();
        }
    }

    @Test
    void reAuditOfAnUnchangedTableIsOneListRequestAndAFullAuditCountsEveryRequest() throws Exception {
        String name = "reaudit-" + UUID.randomUUID().toString().substring(0, 8);
        org.apache.hadoop.fs.Path src = new org.apache.hadoop.fs.Path(Fixtures.table(PARTITIONED).toUri());
        // not under /tables, which the discovery test expects to hold its two tables only
        org.apache.hadoop.fs.Path dst = new org.apache.hadoop.fs.Path("s3a://" + bucket + "/reaudit/" + name);
        FileUtil.copy(src.getFileSystem(conf), src, dst.getFileSystem(conf), dst, false, conf);
        TableLocation location = TableLocation.of(dst.toString());
        IncrementalLogReader reader = new IncrementalLogReader(new HadoopStorage(conf), Clock.systemUTC(), java.time.Duration.ofHours(24));

        TableHealth full = reader.read(location, SettingsThresholds.of(TableSettings.defaults()));
        assertThat(full.readCost().mode()).isEqualTo("full");
        // the listing (one page), _last_checkpoint, the checkpoint, the 4 commits after it and the history's commits
        assertThat(full.readCost().requests().list()).isEqualTo(1);
        assertThat(full.readCost().requests().get()).isGreaterThanOrEqualTo(6);
        assertThat(full.readCost().requests().bytesRead()).isPositive();
        // lengths come from the listing: no HEAD request before any GET
        assertThat(full.readCost().requests().head()).isZero();
        assertThat(full.readCost().requests().shared()).as("no other audit ran meanwhile: the counts are its own").isFalse();

        TableHealth again = reader.read(location, SettingsThresholds.of(TableSettings.defaults()));
        assertThat(again.readCost().mode()).isEqualTo("unchanged");
        assertThat(again.readCost().requests().total()).isLessThanOrEqualTo(2);
        assertThat(again.files()).isEqualTo(full.files());
        assertThat(again.log()).isEqualTo(full.log());

        // a commit appended: its one GET on top of the listing, and the figures of a full read
        org.apache.hadoop.fs.Path next = new org.apache.hadoop.fs.Path(dst, "_delta_log/00000000000000000025.json");
        FileSystem fs = dst.getFileSystem(conf);
        String add = "{\"commitInfo\":{\"timestamp\":" + System.currentTimeMillis() + ",\"operation\":\"WRITE\"}}\n"
                + "{\"add\":{\"path\":\"date=2024-01-01/part-new.parquet\",\"partitionValues\":{\"date\":\"2024-01-01\"},"
                + "\"size\":1234,\"modificationTime\":" + System.currentTimeMillis() + ",\"dataChange\":true}}\n";
        try (var out = fs.create(next, false)) {
            out.write(add.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        TableHealth appended = reader.read(location, SettingsThresholds.of(TableSettings.defaults()));
        TableHealth fresh = new LogHealthReader(new HadoopStorage(conf), Clock.systemUTC()).read(location, SettingsThresholds.of(TableSettings.defaults()));
        assertThat(appended.readCost().mode()).isEqualTo("incremental");
        assertThat(appended.readCost().requests().list()).isEqualTo(1);
        assertThat(appended.readCost().requests().get()).isEqualTo(1);
        assertThat(appended.files()).isEqualTo(fresh.files());
        assertThat(appended.log()).isEqualTo(fresh.log());
        assertThat(appended.identity()).isEqualTo(fresh.identity());
        assertThat(appended.files().activeFiles()).isEqualTo(full.files().activeFiles() + 1);
    }

    @Test
    void theLogIsListedInPagesOfAThousandAndFromAKey() throws Exception {
        org.apache.hadoop.fs.Path logDir = new org.apache.hadoop.fs.Path("s3a://" + bucket + "/paged/_delta_log");
        FileSystem fs = logDir.getFileSystem(conf);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(16);
        List<java.util.concurrent.Future<?>> puts = new ArrayList<>();
        for (int v = 0; v < 1005; v++) {
            org.apache.hadoop.fs.Path file = new org.apache.hadoop.fs.Path(logDir, LogFile.commitName(v));
            puts.add(pool.submit(() -> {
                try (var out = fs.create(file, true)) {
                    out.write('x');
                }
                return null;
            }));
        }
        for (var f : puts) {
            f.get();
        }
        pool.shutdown();
        // counted on the store the listing goes through, as an audit's are
        List<LogObjects.LogObject> all;
        try (var store = new io.deltaagent.deltalog.storage.HadoopLogStore(fs)) {
            all = LogObjects.list(store, logDir.toString(), null, -1);
            var requests = store.counters().requests();
            assertThat(requests.list()).as("two pages").isEqualTo(2);
            assertThat(requests.head()).isZero();
            assertThat(requests.get()).isZero();
        }
        assertThat(all).hasSize(1005);
        assertThat(all.get(0).key()).isEqualTo(LogFile.commitName(0));
        assertThat(all.get(1004).key()).isEqualTo(LogFile.commitName(1004));

        try (var store = new io.deltaagent.deltalog.storage.HadoopLogStore(fs)) {
            List<LogObjects.LogObject> after = LogObjects.list(store, logDir.toString(), String.format("%020d.", 1002), -1);
            assertThat(after).extracting(LogObjects.LogObject::key)
                    .containsExactly(LogFile.commitName(1002), LogFile.commitName(1003), LogFile.commitName(1004));
            assertThat(store.counters().requests().list()).isEqualTo(1);
        }

        // in ranges at once (what _last_checkpoint's version allows): the same objects in the same order, whether the
        // version named is below, at or past the log's end
        for (long hint : new long[] {700, 1004, 2500}) {
            for (int ranges : new int[] {2, 3, 8}) {
                java.util.concurrent.ExecutorService once = java.util.concurrent.Executors.newFixedThreadPool(ranges);
                try {
                    assertThat(io.deltaagent.deltalog.storage.HadoopListing.listS3InRanges(
                            (org.apache.hadoop.fs.s3a.S3AFileSystem) fs, logDir, hint, ranges, once, null).stream()
                            .sorted(java.util.Comparator.comparing(io.deltaagent.deltalog.storage.ListedObject::key))
                            .map(LogObjects::of).toList())
                            .as("hint %d in %d ranges", hint, ranges).isEqualTo(all);
                } finally {
                    once.shutdownNow();
                }
            }
        }
        try (var store = new io.deltaagent.deltalog.storage.HadoopLogStore(fs)) {
            assertThat(LogObjects.list(store, logDir.toString(), null, 2500)).isEqualTo(all);
        }
    }

    @Test
    void cliAuditsAndDiscoversOnS3WithCredentialsFromTheEnvironment(@TempDir Path tmp) throws Exception {
        Path config = tmp.resolve("agent.yaml");
        StringBuilder yaml = new StringBuilder("hadoop:\n");
        server.s3aSettings().forEach((k, v) -> {
            if (!k.equals("fs.s3a.access.key") && !k.equals("fs.s3a.secret.key")) {
                yaml.append("  ").append(k).append(": \"").append(v).append("\"\n");
            }
        });
        Files.writeString(config, yaml);
        Map<String, String> env = Map.of("AWS_ACCESS_KEY_ID", server.accessKey(), "AWS_SECRET_ACCESS_KEY", server.secretKey());
        CliRun run = CliRun.of(env, "audit", "--config", config.toString(), "--discover", "s3a://" + bucket + "/tables",
                "--format", "json");
        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCode.MAINTENANCE_DUE);
        List<String> tables = new ArrayList<>();
        run.json().get("tables").forEach(t -> tables.add(t.get("table").asText()));
        assertThat(tables).containsExactly(s3(OPTIMIZED), s3(PARTITIONED));
        JsonNode optimized = run.json().get("tables").get(0).get("health");
        assertThat(optimized.get("tombstones").get("count").asLong()).isEqualTo(40);
        assertThat(optimized.get("activity").get("lastOptimize").get("operation").asText()).isEqualTo("OPTIMIZE");
    }

    @Test
    void storageThatRefusesAccessGivesAClearLine(@TempDir Path tmp) throws Exception {
        assumeThat(server.enforcesCredentials()).as("LocalStack accepts any credentials").isTrue();
        // a bucket name of its own, so no cached FileSystem with good credentials answers
        String other = server.createBucket("locked-" + UUID.randomUUID().toString().substring(0, 8));
        org.apache.hadoop.fs.Path src = new org.apache.hadoop.fs.Path(Fixtures.table(OPTIMIZED).toUri());
        org.apache.hadoop.fs.Path dst = new org.apache.hadoop.fs.Path("s3a://" + other + "/t");
        FileUtil.copy(src.getFileSystem(conf), src, FileSystem.get(dst.toUri(), conf), dst, false, conf);
        // the FileSystem cache holds an instance with good credentials for this bucket: the CLI must not get it
        FileSystem.get(dst.toUri(), conf).close();

        Path config = tmp.resolve("agent.yaml");
        Files.writeString(config, "hadoop:\n  fs.s3a.endpoint: \"" + server.endpoint() + "\"\n  fs.s3a.path.style.access: \"true\"\n"
                + "  fs.s3a.endpoint.region: us-east-1\n  fs.s3a.attempts.maximum: \"1\"\n  fs.s3a.retry.limit: \"1\"\n"
                + "  fs.s3a.bucket.probe: \"0\"\n");
        Map<String, String> env = Map.of("AWS_ACCESS_KEY_ID", server.accessKey(), "AWS_SECRET_ACCESS_KEY", "wrong-secret-123");
        CliRun run = CliRun.of(env, "audit", "--config", config.toString(), "--format", "json", "s3a://" + other + "/t");
        assertThat(run.exitCode()).isEqualTo(ExitCode.TABLE_FAILED);
        JsonNode error = run.json().get("tables").get(0).get("error");
        assertThat(error.get("kind").asText()).isEqualTo("ACCESS_DENIED");
        assertThat(error.get("message").asText()).startsWith("s3a://" + other + "/t: access denied by the storage")
                .doesNotContain("wrong-secret-123");
    }
}
