package io.deltaagent.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.deltaagent.audit.SettingsThresholds;
import io.deltaagent.bench.S3BenchServer;
import io.deltaagent.config.TableSettings;
import io.deltaagent.deltalog.LogHealthReader;
import io.deltaagent.deltalog.storage.HadoopStorage;
import io.deltaagent.health.TableHealth;
import io.deltaagent.storage.TableLocation;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.FileUtil;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The latency-injecting S3 setup of the benchmarks, against the real S3Proxy (filesystem store): every request is
 * delayed once (a large PUT too, not each TCP segment), keep-alive works, and the proxy's counts agree with S3A's
 * own counters for a whole audit.
 */
class LatencyProxyTest {

    private static final long DELAY_MS = 40;
    private static final String TABLE = "spark_partitioned_checkpoints";

    @TempDir
    static Path dir;

    private static S3BenchServer server;

    @BeforeAll
    static void start() throws Exception {
        server = S3BenchServer.start(Path.of(System.getProperty("deltaagent.s3proxy.jar")), dir, "lat",
                Duration.ofMillis(DELAY_MS));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static Configuration conf(boolean throughProxy) {
        Configuration conf = new Configuration();
        server.s3aSettings(throughProxy).forEach(conf::set);
        return conf;
    }

    @Test
    void eachRequestIsDelayedOnceAndKeepAliveConnectionsAreReused() throws Exception {
        Configuration conf = conf(true);
        conf.setBoolean("fs.s3a.impl.disable.cache", true);
        byte[] big = new byte[24 << 20]; // one PUT of 24 MiB (below the multipart size): 384 segments of 64 KiB
        try (FileSystem fs = FileSystem.newInstance(URI.create(server.uri("")), conf)) {
            org.apache.hadoop.fs.Path object = new org.apache.hadoop.fs.Path(server.uri("keepalive/big.bin"));
            LatencyProxy.Counts before = server.proxy().counts();
            long t0 = System.nanoTime();
            try (FSDataOutputStream out = fs.create(object, true)) {
                out.write(big);
            }
            long putMillis = (System.nanoTime() - t0) / 1_000_000;
            LatencyProxy.Counts write = server.proxy().counts().minus(before);
            assertThat(write.put()).as("one PUT for the whole object").isEqualTo(1);
            // delayed per segment it would take 384 x 40 ms = 15 s; per request it takes (requests x 40 ms) + the copy
            assertThat(putMillis).as("the write's %d requests: %s", write.total(), write.toJson())
                    .isGreaterThanOrEqualTo(write.total() * DELAY_MS)
                    .isLessThan(write.total() * DELAY_MS + 10_000);

            before = server.proxy().counts();
            int connectionsBefore = server.proxy().connectionsAccepted();
            t0 = System.nanoTime();
            for (int i = 0; i < 20; i++) {
                assertThat(fs.getFileStatus(object).getLen()).isEqualTo(big.length);
            }
            long headMillis = (System.nanoTime() - t0) / 1_000_000;
            LatencyProxy.Counts heads = server.proxy().counts().minus(before);
            assertThat(heads.head()).isEqualTo(20);
            assertThat(heads.total()).isEqualTo(20);
            assertThat(headMillis).isGreaterThanOrEqualTo(20 * DELAY_MS);
            assertThat(server.proxy().connectionsAccepted() - connectionsBefore).as("keep-alive: one pooled connection")
                    .isLessThanOrEqualTo(1);
        }
    }

    @Test
    void responseBytesAreWhatTheServerSentBackBodyAndHeads() throws Exception {
        byte[] object = new byte[3 << 20];
        new java.util.Random(26).nextBytes(object);
        Configuration direct = conf(false);
        direct.setBoolean("fs.s3a.impl.disable.cache", true);
        org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(server.uri("bytes/object.bin"));
        try (FileSystem fs = FileSystem.newInstance(URI.create(server.uri("")), direct);
             FSDataOutputStream out = fs.create(path, true)) {
            out.write(object); // straight to the server: neither delayed nor counted
        }
        Configuration conf = conf(true);
        conf.setBoolean("fs.s3a.impl.disable.cache", true);
        try (FileSystem fs = FileSystem.newInstance(URI.create(server.uri("")), conf)) {
            LatencyProxy.Counts before = server.proxy().counts();
            byte[] back = new byte[object.length];
            try (var in = fs.open(path)) {
                in.readFully(0, back);
            }
            LatencyProxy.Counts whole = server.proxy().counts().minus(before);
            assertThat(back).isEqualTo(object);
            assertThat(whole.responseBytes()).as("the body once, plus a status line and headers per request: %s", whole.toJson())
                    .isGreaterThanOrEqualTo(object.length)
                    .isLessThan(object.length + whole.total() * 2048);

            // a ranged read costs its range, not the object
            before = server.proxy().counts();
            byte[] part = new byte[1000];
            try (var in = fs.openFile(path).opt("fs.option.openfile.read.policy", "random").build().get()) {
                in.readFully(1 << 20, part);
            }
            LatencyProxy.Counts ranged = server.proxy().counts().minus(before);
            assertThat(part).isEqualTo(java.util.Arrays.copyOfRange(object, 1 << 20, (1 << 20) + 1000));
            assertThat(ranged.responseBytes()).as("%s", ranged.toJson()).isGreaterThanOrEqualTo(1000)
                    .isLessThan(object.length / 2);
            assertThat(ranged.toJson()).contains("\"responseBytes\":" + ranged.responseBytes());
        }
    }

    @Test
    void anAuditThroughTheProxyCostsItsRequestsTimesTheDelayAndTheCountsAgreeWithS3A() throws Exception {
        // uploaded through S3A to the server directly (not delayed, not counted)
        Configuration upload = conf(false);
        upload.setBoolean("fs.s3a.impl.disable.cache", true);
        org.apache.hadoop.fs.Path src = new org.apache.hadoop.fs.Path(Fixtures.table(TABLE).toUri());
        String table = server.uri("tables/" + TABLE);
        try (FileSystem dst = FileSystem.newInstance(URI.create(table), upload)) {
            FileUtil.copy(src.getFileSystem(upload), src, dst, new org.apache.hadoop.fs.Path(table), false, upload);
        }

        Configuration conf = conf(true);
        FileSystem fs = FileSystem.get(URI.create(table), conf); // the cached instance the reader uses
        LatencyProxy.Counts before = server.proxy().counts();
        server.proxy().resetMaxConcurrent();
        long t0 = System.nanoTime();
        TableHealth h = new LogHealthReader(new HadoopStorage(conf), Clock.systemUTC()).read(TableLocation.of(table), SettingsThresholds.of(TableSettings.defaults()));
        long wallMillis = (System.nanoTime() - t0) / 1_000_000;
        LatencyProxy.Counts seen = server.proxy().counts().minus(before);

        JsonNode truth = Fixtures.truth(TABLE);
        assertThat(h.files().activeFiles()).isEqualTo(truth.get("numFiles").asLong());
        assertThat(seen.put() + seen.delete() + seen.post()).as("an audit only reads").isZero();
        // the delay applies to every request: never more requests in flight than connections open at once
        int parallel = Math.max(1, server.proxy().maxConcurrent());
        assertThat(wallMillis).as("%s over at most %d connections at once", seen.toJson(), parallel)
                .isGreaterThanOrEqualTo(seen.total() * DELAY_MS / parallel);
        // and the agent's own report of the whole audit's requests (readCost.requests) is what the server saw
        var reported = h.readCost().requests();
        assertThat(reported.list()).as("agent's LIST vs the server's %s", seen.toJson()).isEqualTo(seen.list());
        assertThat(reported.get()).as("agent's GET vs the server's %s", seen.toJson()).isEqualTo(seen.get());
        assertThat(reported.head()).as("agent's HEAD vs the server's %s", seen.toJson()).isEqualTo(seen.head());
        // the bytes of the objects' bodies, range reads included; the proxy counts the responses' headers too
        assertThat(reported.bytesRead()).isPositive().isLessThanOrEqualTo(seen.responseBytes());
        assertThat(h.readCost().getRequests()).isPositive().isLessThanOrEqualTo(seen.get());
    }
}
