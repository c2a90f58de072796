package io.deltaagent.deltalog;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltaagent.audit.SettingsThresholds;
import io.deltaagent.bench.S3BenchServer;
import io.deltaagent.config.ReaderChoice;
import io.deltaagent.config.TableSettings;
import io.deltaagent.deltalog.storage.HadoopStorage;
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
 * through the same reader, on the same cached S3A FileSystem (one bucket), at the same time. Two tables in one bucket
 * of the real S3Proxy behind the counting {@link LatencyProxy}: each audited alone reports what the proxy saw; audited
 * at once, each reports the same again, and the proxy saw the sum. (S3A caches one FileSystem per bucket, so tables in
 * two buckets would not share one: the old per-FileSystem counts were right there.)
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
        two = server.placeTable("u/" + TWO, Fixtures.table(TWO));
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
        LogHealthReader reader = new LogHealthReader(new HadoopStorage(conf), Clock.systemUTC(), false);
        LatencyProxy proxy = server.proxy();
        audit(reader, one); // the FileSystem's creation and the first reads' one-offs, not part of what is compared

        // each alone: what it reports is what the proxy saw
        Seen aloneOne = alone(reader, one);
        Seen aloneTwo = alone(reader, two);
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
        assertThat(both.list()).as("the proxy saw both audits' LISTs").isEqualTo(aloneOne.proxy().list() + aloneTwo.proxy().list());
        assertThat(both.get()).as("the proxy saw both audits' GETs").isEqualTo(aloneOne.proxy().get() + aloneTwo.proxy().get());
        assertThat(both.head()).isEqualTo(aloneOne.proxy().head() + aloneTwo.proxy().head());

        StorageRequests r1 = first.readCost().requests();
        StorageRequests r2 = second.readCost().requests();
        assertThat(r1).as("table one, beside table two").isEqualTo(aloneOne.health().readCost().requests());
        assertThat(r2).as("table two, beside table one").isEqualTo(aloneTwo.health().readCost().requests());
        assertThat(r1.list() + r2.list()).isEqualTo(both.list());
        assertThat(r1.get() + r2.get()).isEqualTo(both.get());
        assertThat(r1.shared()).as("counted on its own store: exact, not shared").isFalse();
        assertThat(r2.shared()).isFalse();
    }

    @Test
    void aKernelAuditCountsOnTheFileSystemAndSaysSoWhenAnotherRanBesideIt() throws Exception {
        Configuration conf = new Configuration();
        server.s3aSettings(true).forEach(conf::set);
        LogHealthReader reader = new LogHealthReader(new HadoopStorage(conf), Clock.systemUTC(), false);
        audit(reader, one, ReaderChoice.KERNEL); // Kernel's first-use costs and the FileSystem's creation

        // alone: Kernel's requests (S3A's counters) and the store's direct ones, none twice
        LatencyProxy.Counts before = server.proxy().counts();
        TableHealth alone = audit(reader, one, ReaderChoice.KERNEL);
        LatencyProxy.Counts seen = server.proxy().counts().minus(before);
        StorageRequests r = alone.readCost().requests();
        assertThat(alone.reader()).isEqualTo("kernel");
        assertThat(r.list()).as("LIST vs the proxy's %s", seen.toJson()).isEqualTo(seen.list());
        assertThat(r.get()).as("GET vs the proxy's %s", seen.toJson()).isEqualTo(seen.get());
        assertThat(r.head()).as("HEAD vs the proxy's %s", seen.toJson()).isEqualTo(seen.head());
        assertThat(r.shared()).isFalse();

        // beside a projected audit of the same bucket: the FileSystem's counts may hold the other's, and it says so
        CyclicBarrier go = new CyclicBarrier(2);
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            CompletableFuture<TableHealth> kernel = CompletableFuture.supplyAsync(() -> together(go, reader, one,
                    ReaderChoice.KERNEL), threads);
            CompletableFuture<TableHealth> projected = CompletableFuture.supplyAsync(() -> together(go, reader, two,
                    ReaderChoice.PROJECTED), threads);
            assertThat(kernel.get().readCost().requests().shared()).isTrue();
            assertThat(projected.get().readCost().requests().shared()).as("its own store's: exact").isFalse();
        } finally {
            threads.shutdownNow();
        }
    }

    private record Seen(TableHealth health, LatencyProxy.Counts proxy) {
    }

    private static Seen alone(LogHealthReader reader, String table) {
        LatencyProxy.Counts before = server.proxy().counts();
        TableHealth h = audit(reader, table);
        return new Seen(h, server.proxy().counts().minus(before));
    }

    private static TableHealth together(CyclicBarrier go, LogHealthReader reader, String table) {
        return together(go, reader, table, ReaderChoice.PROJECTED);
    }

    private static TableHealth together(CyclicBarrier go, LogHealthReader reader, String table, ReaderChoice choice) {
        try {
            go.await();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return audit(reader, table, choice);
    }

    private static TableHealth audit(LogHealthReader reader, String table) {
        return audit(reader, table, ReaderChoice.PROJECTED);
    }

    private static TableHealth audit(LogHealthReader reader, String table, ReaderChoice choice) {
        return reader.read(TableLocation.of(table), SettingsThresholds.of(TableSettings.defaults().withReader(choice)));
    }
}
