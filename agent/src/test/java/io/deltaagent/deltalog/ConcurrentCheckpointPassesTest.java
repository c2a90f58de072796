package io.deltaagent.deltalog;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltaagent.audit.SettingsThresholds;
import io.deltaagent.config.TableSettings;
import io.deltaagent.deltalog.replay.LogReplay;
import io.deltaagent.deltalog.segment.LogFile;
import io.deltaagent.deltalog.storage.HadoopLogStore;
import io.deltaagent.deltalog.storage.HadoopStorage;
import io.deltaagent.deltalog.storage.ListedObject;
import io.deltaagent.deltalog.storage.LogStore;
import io.deltaagent.deltalog.storage.ReadCounters;
import io.deltaagent.deltalog.storage.ReadExecutor;
import io.deltaagent.storage.TableLocation;
import io.deltaagent.testing.Fixtures;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.parquet.io.DelegatingSeekableInputStream;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.SeekableInputStream;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroup;
import org.apache.parquet.example.data.simple.convert.GroupRecordConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.hadoop.util.HadoopOutputFile;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.MessageColumnIO;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.schema.MessageType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The checkpoint's two passes (sparse actions; add actions) run at the same time: the add pass starts once the sparse
 * pass has seen the protocol and metaData, and reads while the sparse pass reads on. Observed through the store: the
 * sparse pass's stream of the last top-level part is held open until the add pass has read that part through a
 * stream of its own. Read one after the other (the code before), the add pass never starts while the sparse pass is
 * held, and the hold times out.
 */
class ConcurrentCheckpointPassesTest {

    private final ReadExecutor reads = new ReadExecutor();

    @AfterEach
    void close() {
        reads.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"spark_multipart_checkpoint", "spark_partitioned_checkpoints"})
    void theAddPassReadsThePartsWhileTheSparsePassReadsOn(String fixture) throws Exception {
        Configuration conf = new Configuration();
        TableLocation table = TableLocation.of(Fixtures.table(fixture).toString());
        FileSystem fs = table.path().getFileSystem(conf);
        try (HoldingStore store = new HoldingStore(new HadoopLogStore(fs, reads), lastPartOfNewestCheckpoint(fixture))) {
            LogInspection log = LogInspection.inspect(new HadoopStorage(conf).logDir(table), table, 30, store, false, java.util.function.UnaryOperator.identity());
            assertThat(log.recent().metadata()).as("the metaData comes from the checkpoint: the add pass needs the sparse pass")
                    .isNull();

            SnapshotFacts facts = new ProjectedSnapshots().measure(table,
                    SettingsThresholds.of(TableSettings.defaults()), log);
            LogReplay.Removes removes = log.replay().tombstones(); // the sparse pass's end

            assertThat(store.overlapped).as("the add pass read the last part while the sparse pass held it open").isTrue();
            assertThat(facts.files().activeFiles()).isEqualTo(Fixtures.truth(fixture).get("numFiles").asLong());
            assertThat(facts.files().totalBytes()).isEqualTo(Fixtures.truth(fixture).get("sizeInBytes").asLong());
            assertThat(removes.tombstones().count()).isEqualTo(Fixtures.truth(fixture).get("tombstones").asLong());
            assertThat(store.streams.values()).as("each part opened once per pass").allSatisfy(n -> assertThat(n.get()).isEqualTo(2));
        }
    }

    /**
     * An audit interrupted while the sparse pass reads (the daemon's audit timeout): the audit stops at once, and closing
     * its store stops the sparse pass on the executor too, not left reading for an audit that is over.
     */
    @org.junit.jupiter.api.Test
    void interruptingTheAuditStopsTheSparsePassToo() throws Exception {
        Configuration conf = new Configuration();
        TableLocation table = TableLocation.of(Fixtures.table("spark_multipart_checkpoint").toString());
        FileSystem fs = table.path().getFileSystem(conf);
        BlockingStore store = new BlockingStore(new HadoopLogStore(fs, reads));
        java.util.concurrent.atomic.AtomicReference<Throwable> failure = new java.util.concurrent.atomic.AtomicReference<>();
        Thread audit = new Thread(() -> {
            try (store) {
                LogInspection.inspect(new HadoopStorage(conf).logDir(table), table, 30, store, false, java.util.function.UnaryOperator.identity());
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        audit.start();
        assertThat(store.blocked.await(10, TimeUnit.SECONDS)).as("the sparse pass started").isTrue();

        audit.interrupt();
        audit.join(10_000);

        assertThat(audit.isAlive()).isFalse();
        assertThat(failure.get()).isInstanceOf(java.io.InterruptedIOException.class)
                .hasMessage("interrupted while reading the protocol and metaData of checkpoint 10");
        assertThat(store.released.await(10, TimeUnit.SECONDS)).as("the sparse pass was interrupted when the store closed")
                .isTrue();
        assertThat(store.interrupted).isTrue();
    }

    /**
     * The protocol and metaData rows written last in the checkpoint (Spark writes them first here): the add pass then
     * waits for the whole sparse pass, as before, and the figures are the same.
     */
    @org.junit.jupiter.api.Test
    void protocolAndMetadataLastInTheCheckpointGiveTheSameFigures(@TempDir java.nio.file.Path tmp) throws Exception {
        java.nio.file.Path table = Fixtures.copy("spark_partitioned_checkpoints", tmp);
        java.nio.file.Path checkpoint = table.resolve("_delta_log/00000000000000000020.checkpoint.parquet");
        List<String> before = rewriteRows(checkpoint, (rows, schema) -> {
            List<Group> table1 = rows.stream().filter(r -> !isSet(r, "protocol") && !isSet(r, "metaData")).toList();
            List<Group> last = rows.stream().filter(r -> isSet(r, "protocol") || isSet(r, "metaData")).toList();
            assertThat(last).as("one protocol and one metaData row").hasSize(2);
            return java.util.stream.Stream.concat(table1.stream(), last.stream()).toList();
        });
        assertThat(before.subList(before.size() - 2, before.size())).as("the fixture is what it claims")
                .allSatisfy(kind -> assertThat(kind).isIn("protocol", "metaData"));

        io.deltaagent.health.TableHealth h = new LogHealthReader(new HadoopStorage(new Configuration()), java.time.Clock.systemUTC())
                .read(TableLocation.of(table.toString()), SettingsThresholds.of(TableSettings.defaults()
                        .withReader(io.deltaagent.config.ReaderChoice.PROJECTED)));

        io.deltaagent.testing.DescribeDetailTruth.assertMatches(h, Fixtures.truth("spark_partitioned_checkpoints"));
    }

    /** A checkpoint whose own protocol needs a reader feature the projected reader does not know: refused, by name. */
    @org.junit.jupiter.api.Test
    void anUnknownReaderFeatureInTheCheckpointIsRefusedBeforeAnyAddIsRead(@TempDir java.nio.file.Path tmp) throws Exception {
        java.nio.file.Path table = Fixtures.copy("spark_partitioned_checkpoints", tmp);
        // the commits after checkpoint 20 change no protocol: the checkpoint's is the table's
        for (int v = 21; v <= 40; v++) {
            java.nio.file.Path commit = table.resolve(String.format("_delta_log/%020d.json", v));
            if (java.nio.file.Files.exists(commit)) {
                assertThat(java.nio.file.Files.readString(commit)).doesNotContain("\"protocol\"");
            }
        }
        rewriteRows(table.resolve("_delta_log/00000000000000000020.checkpoint.parquet"), (rows, schema) -> rows.stream()
                .map(r -> isSet(r, "protocol") ? futureProtocol(schema) : r).toList());

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new LogHealthReader(new HadoopStorage(new Configuration()), java.time.Clock.systemUTC())
                        .read(TableLocation.of(table.toString()), SettingsThresholds.of(TableSettings.defaults()
                                .withReader(io.deltaagent.config.ReaderChoice.PROJECTED))))
                .isInstanceOfSatisfying(io.deltaagent.error.TableReadException.class, e -> {
                    assertThat(e.kind()).isEqualTo(io.deltaagent.error.TableReadException.Kind.UNSUPPORTED_PROTOCOL);
                    assertThat(e.getMessage()).startsWith(table + ": unsupported protocol: the table needs reader version 3")
                            .endsWith("it does not know [futureFeature] and refuses to guess what it changes");
                });
    }

    private static boolean isSet(Group row, String field) {
        return row.getType().containsField(field) && row.getFieldRepetitionCount(field) > 0;
    }

    /** A protocol row: reader version 3 with a feature no reader knows. */
    private static Group futureProtocol(MessageType schema) {
        Group row = new SimpleGroup(schema);
        Group protocol = row.addGroup("protocol");
        protocol.add("minReaderVersion", 3);
        protocol.add("minWriterVersion", 7);
        protocol.addGroup("readerFeatures").addGroup(0).add(0, "futureFeature");
        protocol.addGroup("writerFeatures").addGroup(0).add(0, "futureFeature");
        return row;
    }

    /**
     * Rewrites a checkpoint part's rows (Spark's own, reordered or replaced), with its schema.
     *
     * @return the action each new row sets, in order
     */
    private static List<String> rewriteRows(java.nio.file.Path file,
                                            java.util.function.BiFunction<List<Group>, MessageType, List<Group>> change)
            throws Exception {
        Configuration conf = new Configuration();
        org.apache.hadoop.fs.Path in = new org.apache.hadoop.fs.Path(file.toUri());
        java.nio.file.Path copy = file.resolveSibling("rewritten.parquet");
        List<Group> rows = new java.util.ArrayList<>();
        MessageType schema;
        try (ParquetFileReader reader = ParquetFileReader.open(HadoopInputFile.fromPath(in, conf))) {
            schema = reader.getFooter().getFileMetaData().getSchema();
            MessageColumnIO io = new ColumnIOFactory().getColumnIO(schema);
            PageReadStore pages;
            while ((pages = reader.readNextRowGroup()) != null) {
                RecordReader<Group> records = io.getRecordReader(pages, new GroupRecordConverter(schema));
                for (long i = 0; i < pages.getRowCount(); i++) {
                    rows.add(records.read());
                }
            }
        }
        List<Group> changed = change.apply(rows, schema);
        try (ParquetWriter<Group> writer = ExampleParquetWriter.builder(
                HadoopOutputFile.fromPath(new org.apache.hadoop.fs.Path(copy.toUri()), conf)).withType(schema).build()) {
            for (Group g : changed) {
                writer.write(g);
            }
        }
        java.nio.file.Files.move(copy, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        java.nio.file.Files.deleteIfExists(file.resolveSibling("." + file.getFileName() + ".crc"));
        return changed.stream().map(g -> java.util.stream.Stream.of("add", "remove", "protocol", "metaData", "txn")
                .filter(f -> isSet(g, f)).findFirst().orElse("other")).toList();
    }

    /** Parts are named {version}.checkpoint[.{part}.{parts}].parquet: the greatest name is the newest's last part. */
    private static String lastPartOfNewestCheckpoint(String fixture) throws IOException {
        try (java.util.stream.Stream<java.nio.file.Path> files = java.nio.file.Files.list(Fixtures.table(fixture).resolve("_delta_log"))) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.contains(".checkpoint.") && n.endsWith(".parquet"))
                    .max(String::compareTo).orElseThrow();
        }
    }

    /**
     * The real store, listing checkpoint parts without their lengths so that each pass reads them through a stream of
     * its own (a small part is otherwise fetched whole once for both passes); the first stream of the held part (the
     * sparse pass's) waits at its close until a second stream of that part (the add pass's) has closed.
     */
    private static class HoldingStore implements LogStore {
        private final LogStore store;
        final Map<String, AtomicInteger> streams = new ConcurrentHashMap<>();
        private final CountDownLatch addPassRead = new CountDownLatch(1);
        private final String held;
        volatile Boolean overlapped;

        /** @param held the file name of the part whose sparse read is held */
        HoldingStore(LogStore store, String held) {
            this.store = store;
            this.held = held;
        }

        @Override
        public InputFile parquet(String path, long length) throws IOException {
            InputFile file = store.parquet(path, length);
            return new InputFile() {
                @Override
                public long getLength() throws IOException {
                    return file.getLength();
                }

                @Override
                public SeekableInputStream newStream() throws IOException {
                    SeekableInputStream in = file.newStream();
                    int n = streams.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
                    return new DelegatingSeekableInputStream(in) {
                        @Override
                        public long getPos() throws IOException {
                            return in.getPos();
                        }

                        @Override
                        public void seek(long newPos) throws IOException {
                            in.seek(newPos);
                        }

                        @Override
                        public void close() throws IOException {
                            in.close();
                            if (!path.endsWith("/" + held)) {
                                return;
                            }
                            if (n == 1) {
                                try {
                                    overlapped = addPassRead.await(10, TimeUnit.SECONDS);
                                } catch (InterruptedException e) {
                                    Thread.currentThread().interrupt();
                                }
                            } else {
                                addPassRead.countDown();
                            }
                        }
                    };
                }
            };
        }

        @Override
        public List<ListedObject> list(String dir, String startAfter, long versionHint) throws IOException {
            return store.list(dir, startAfter, versionHint).stream()
                    .map(o -> LogFile.parse(o.key()).map(LogFile::isCheckpoint).orElse(false)
                            ? new ListedObject(o.key(), -1, o.modified()) : o)
                    .toList();
        }

        @Override
        public InputStream open(String path, long length) throws IOException {
            return store.open(path, length);
        }

        @Override
        public Optional<byte[]> readIfExists(String path) throws IOException {
            return store.readIfExists(path);
        }

        @Override
        public byte[] readRange(String path, long objectLength, long offset, int length) throws IOException {
            return store.readRange(path, objectLength, offset, length);
        }

        @Override
        public boolean exists(String path) throws IOException {
            return store.exists(path);
        }

        @Override
        public boolean isFile(String path) {
            return store.isFile(path);
        }

        @Override
        public boolean listsInRanges() {
            return store.listsInRanges();
        }

        @Override
        public ReadCounters counters() {
            return store.counters();
        }

        @Override
        public ExecutorService executor() {
            return store.executor();
        }

        @Override
        public void close() {
            store.close();
        }
    }

    /** The real store, whose checkpoint streams block at their first open until the reading thread is interrupted. */
    private static final class BlockingStore extends HoldingStore {
        final CountDownLatch blocked = new CountDownLatch(1);
        final CountDownLatch released = new CountDownLatch(1);
        volatile boolean interrupted;

        BlockingStore(LogStore store) {
            super(store, "");
        }

        @Override
        public InputFile parquet(String path, long length) throws IOException {
            blocked.countDown();
            try {
                Thread.sleep(30_000);
            } catch (InterruptedException e) {
                interrupted = true;
                throw new java.io.InterruptedIOException("interrupted");
            } finally {
                released.countDown();
            }
            return super.parquet(path, length);
        }
    }
}
