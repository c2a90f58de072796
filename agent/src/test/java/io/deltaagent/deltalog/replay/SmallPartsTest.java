package io.deltaagent.deltalog.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deltaagent.deltalog.actions.CheckpointAddReader;
import io.deltaagent.deltalog.actions.CheckpointColumnReader;
import io.deltaagent.deltalog.actions.CorruptLogException;
import io.deltaagent.deltalog.actions.LogActionVisitor;
import io.deltaagent.deltalog.actions.ProtocolInfo;
import io.deltaagent.deltalog.storage.HadoopLogStore;
import io.deltaagent.deltalog.storage.LogStore;
import io.deltaagent.testing.Fixtures;
import java.io.File;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.Test;

/**
 * Small checkpoint parts are fetched whole once and read by both passes from memory; large ones, and those past the
 * budget, keep ranged reads; every pass reads the same rows either way. On the parts of a Spark-written multi-part
 * checkpoint, counted at the audit's store.
 */
class SmallPartsTest {

    private static final Configuration CONF = new Configuration();

    private static List<File> parts() {
        File[] files = Fixtures.table("spark_multipart_checkpoint").resolve("_delta_log").toFile()
                .listFiles((dir, name) -> name.contains(".checkpoint.") && name.endsWith(".parquet"));
        Arrays.sort(files);
        assertThat(files).hasSizeGreaterThan(1);
        return List.of(files);
    }

    private static LogStore store() throws Exception {
        return new HadoopLogStore(FileSystem.getLocal(CONF));
    }

    /** Both passes over one part: the sparse one (protocol, else the metadata's id) and the add rows; returns the rows read. */
    private static long bothPasses(SmallParts parts, File part, long listedLength, AtomicReference<ProtocolInfo> protocol) {
        String path = part.toURI().toString();
        CheckpointColumnReader.read(path, parts.object(path, listedLength, SmallParts.Pass.SPARSE), CheckpointColumnReader.ALL,
                new LogActionVisitor() {
                    @Override
                    public void protocol(ProtocolInfo p) {
                        protocol.set(p);
                    }

                    @Override
                    public void metadata(io.deltaagent.deltalog.actions.TableMetadata m) {
                        protocol.compareAndSet(null, new ProtocolInfo(-1, -1, List.of(m.id()), List.of()));
                    }
                });
        parts.done(path, SmallParts.Pass.SPARSE);
        AtomicLong rows = new AtomicLong();
        long read = CheckpointAddReader.read(parts.object(path, listedLength, SmallParts.Pass.FILES), part.getName(), true, true,
                Map.of(), (p, dv, size, values, mtime, card, dvBytes) -> rows.incrementAndGet());
        parts.done(path, SmallParts.Pass.FILES);
        assertThat(read).isEqualTo(rows.get());
        return rows.get();
    }

    private static long opens(LogStore store, File part) {
        return store.counters().opensByObject().getOrDefault(part.toURI().toString(), 0L);
    }

    @Test
    void aSmallPartIsFetchedOnceAndReadTwiceFromMemoryThenDropped() throws Exception {
        for (File part : parts()) {
            aSmallPartIsFetchedOnce(part);
        }
    }

    private static void aSmallPartIsFetchedOnce(File part) throws Exception {
        try (LogStore ranged = store(); LogStore whole = store()) {
            AtomicReference<ProtocolInfo> p1 = new AtomicReference<>();
            AtomicReference<ProtocolInfo> p2 = new AtomicReference<>();
            long rangedRows = bothPasses(new SmallParts(ranged, 0, 0), part, part.length(), p1);
            SmallParts small = new SmallParts(whole, SmallParts.MAX_OBJECT_BYTES, SmallParts.BUDGET_BYTES);
            long wholeRows = bothPasses(small, part, part.length(), p2);

            assertThat(wholeRows).as("the same add rows either way").isEqualTo(rangedRows).isPositive();
            assertThat(p2.get()).as("the same protocol or metadata either way").isEqualTo(p1.get());
            assertThat(opens(ranged, part)).as("ranged: one open per pass").isEqualTo(2);
            assertThat(ranged.counters().rangeReads()).isZero();
            assertThat(opens(whole, part)).as("whole: one read for both passes").isEqualTo(1);
            assertThat(whole.counters().rangeReads()).isEqualTo(1);
            assertThat(whole.counters().bytesRead()).isEqualTo(part.length());

            // both passes are done: the bytes are gone, and a further read goes to the store again
            bothPasses(small, part, part.length(), p2);
            assertThat(opens(whole, part)).isEqualTo(3);
        }
    }

    @Test
    void partsPastTheBudgetAndOfUnknownLengthKeepRangedReads() throws Exception {
        List<File> parts = parts();
        File first = parts.get(0);
        File second = parts.get(1);
        try (LogStore store = store()) {
            // room for the first part only, while it is held
            SmallParts small = new SmallParts(store, SmallParts.MAX_OBJECT_BYTES, first.length());
            String firstPath = first.toURI().toString();
            String secondPath = second.toURI().toString();
            AtomicReference<ProtocolInfo> protocol = new AtomicReference<>();
            CheckpointColumnReader.read(firstPath, small.object(firstPath, first.length(), SmallParts.Pass.SPARSE),
                    CheckpointColumnReader.ALL, new LogActionVisitor() { });
            small.done(firstPath, SmallParts.Pass.SPARSE);
            bothPasses(small, second, second.length(), protocol);
            assertThat(opens(store, second)).as("past the budget: ranged, one open per pass").isEqualTo(2);

            CheckpointAddReader.read(small.object(firstPath, first.length(), SmallParts.Pass.FILES), first.getName(), true,
                    false, Map.of(), (p, dv, size, values, mtime, card, dvBytes) -> { });
            small.done(firstPath, SmallParts.Pass.FILES);
            assertThat(opens(store, first)).as("held for both passes").isEqualTo(1);

            File third = parts.size() > 2 ? parts.get(2) : first;
            long before = opens(store, third);
            bothPasses(small, third, -1, protocol);
            assertThat(opens(store, third) - before).as("length not listed: ranged").isEqualTo(2);
            assertThat(store.counters().rangeReads()).isEqualTo(1);
        }
    }

    @Test
    void aPartShorterThanListedFailsNamingIt() throws Exception {
        File part = parts().get(0);
        String path = part.toURI().toString();
        try (LogStore store = store()) {
            SmallParts small = new SmallParts(store, SmallParts.MAX_OBJECT_BYTES, SmallParts.BUDGET_BYTES);
            assertThatThrownBy(() -> CheckpointColumnReader.read(path, small.object(path, part.length() + 10,
                    SmallParts.Pass.SPARSE), CheckpointColumnReader.ALL, new LogActionVisitor() { }))
                    .isInstanceOf(CorruptLogException.class)
                    .hasMessageContaining("_delta_log/" + part.getName())
                    .hasMessageContaining("not the " + (part.length() + 10) + " bytes listed");
        }
    }
}
