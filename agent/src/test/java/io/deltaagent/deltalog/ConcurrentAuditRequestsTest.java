package io.deltaagent.deltalog;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltaagent.audit.SettingsThresholds;
import io.deltaagent.bench.S3BenchServer;
import io.deltaagent.config.ReaderChoice;
import io.deltaagent.config.TableSettings;
import io.deltaagent.health.StorageRequests;
import io.deltaagent.health.TableHealth;
import io.deltaagent.storage.TableLocation;
import io.deltaagent.testing.Fixtures;
import io.deltaagent.testing.LatencyProxy;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 26: an audit's {@code readCost.requests} are its own, counted on its store, even while another audit reads
 * through the same reader (and so the same cached S3A FileSystem) at the same time. Two tables in two buckets of the
 * real S3Proxy behind the counting {@link LatencyProxy}: what each audit reports is what the proxy saw for its bucket.
 */
class ConcurrentAuditRequestsTest {

    private static final String ONE = "spark_partitioned_checkpoints";
    private static final String TWO = "spark_optimized";

    @TempDir
    static Path dir;

    private static S3BenchServer server;
    private static String one;
    private static String two;

    @BeforeAll
    static void start() throws Exception {
        // a delay makes each audit last long enough for the two to overlap
        server = S3BenchServer.start(Path.of(System.getProperty("deltaagent.s3proxy.jar")), dir, "alpha",
                Duration.ofMillis(20));
        one = server.placeTable("t/" + ONE, Fixtures.table(ONE));
        two = server.placeTable("beta", "t/" + TWO, Fixtures.table(TWO));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void twoAuditsAtOnceThroughOneReaderEachReportExactlyTheirOwnRequests() throws Exception {
        Configuration conf = new Configuration();
        server.s3aSettings(true).forEach(conf::set);
        LogHealthReader reader = new LogHealthReader(conf, Clock.systemUTC(), false);
        LatencyProxy proxy = server.proxy();
        audit(reader, one); // the FileSystem's creation and the first reads' one-offs, not part of what is compared

        // each alone: what it reports is what the proxy saw
        Seen aloneOne = alone(reader, one, "alpha");
        Seen aloneTwo = alone(reader, two, "beta");
        for (Seen s : new Seen[] {aloneOne, aloneTwo}) {
            StorageRequests r = s.health().readCost().requests();
            assertThat(r.list()).as("LIST vs the proxy's %s", s.proxy().toJson()).isEqualTo(s.proxy().list());
            assertThat(r.get()).as("GET vs the proxy's %s", s.proxy().toJson()).isEqualTo(s.proxy().get());
            assertThat(r.head()).as("HEAD vs the proxy's %s", s.proxy().toJson()).isEqualTo(s.proxy().head());
            assertThat(r.get()).isGreaterThanOrEqualTo(6);
            assertThat(r.bytesRead()).isPositive().isLessThanOrEqualTo(s.proxy().responseBytes());
            assertThat(r.shared()).isFalse();
        }

        // both at once through the one reader
        LatencyProxy.Counts before = proxy.counts();
        long alphaBefore = proxy.requestsTo("alpha");
        long betaBefore = proxy.requestsTo("beta");
        CyclicBarrier go = new CyclicBarrier(2);
        ExecutorService threads = Executors.newFixedThreadPool(2);
        TableHealth first;
        TableHealth second;
        try {
            CompletableFuture<TableHealth> a = CompletableFuture.supplyAsync(() -> together(go, reader, one), threads);
            CompletableFuture<TableHealth> b = CompletableFuture.supplyAsync(() -> together(go, reader, two), threads);
            first = a.get();
            second = b.get();
        } finally {
            threads.shutdownNow();
        }
        LatencyProxy.Counts both = proxy.counts().minus(before);
        assertThat(both.list() + both.get() + both.head()).as("the proxy saw both audits' requests")
                .isEqualTo(aloneOne.proxy().list() + aloneOne.proxy().get() + aloneOne.proxy().head()
                        + aloneTwo.proxy().list() + aloneTwo.proxy().get() + aloneTwo.proxy().head());

        StorageRequests r1 = first.readCost().requests();
        StorageRequests r2 = second.readCost().requests();
        assertThat(r1).as("table one, beside table two").isEqualTo(aloneOne.health().readCost().requests());
        assertThat(r2).as("table two, beside table one").isEqualTo(aloneTwo.health().readCost().requests());
        assertThat(r1.total()).as("table one's bucket").isEqualTo(proxy.requestsTo("alpha") - alphaBefore);
        assertThat(r2.total()).as("table two's bucket").isEqualTo(proxy.requestsTo("beta") - betaBefore);
        assertThat(r1.shared()).as("counted on its own store: exact, not shared").isFalse();
        assertThat(r2.shared()).isFalse();
    }

    private record Seen(TableHealth health, LatencyProxy.Counts proxy) {
    }

    private static Seen alone(LogHealthReader reader, String table, String bucket) {
        LatencyProxy.Counts before = server.proxy().counts();
        long inBucket = server.proxy().requestsTo(bucket);
        TableHealth h = audit(reader, table);
        LatencyProxy.Counts seen = server.proxy().counts().minus(before);
        assertThat(server.proxy().requestsTo(bucket) - inBucket).as("all of them to its bucket").isEqualTo(seen.total());
        return new Seen(h, seen);
    }

    private static TableHealth together(CyclicBarrier go, LogHealthReader reader, String table) {
        try {
            go.await();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return audit(reader, table);
    }

    private static TableHealth audit(LogHealthReader reader, String table) {
        return reader.read(TableLocation.of(table),
                SettingsThresholds.of(TableSettings.defaults().withReader(ReaderChoice.PROJECTED)));
    }
}
