package io.deltaagent.deltalog;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltaagent.audit.SettingsThresholds;
import io.deltaagent.config.ReaderChoice;
import io.deltaagent.config.TableSettings;
import io.deltaagent.deltalog.storage.HadoopStorage;
import io.deltaagent.deltalog.storage.LogStore;
import io.deltaagent.health.TableHealth;
import io.deltaagent.storage.TableLocation;
import io.deltaagent.testing.DescribeDetailTruth;
import io.deltaagent.testing.Fixtures;
import java.io.IOException;
import java.time.Clock;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * One audit opens each small checkpoint part and sidecar once: fetched whole, then read from memory for all its sparse
 * actions (protocol, metaData, sidecars, removes, domain metadata) and for its add actions; a large one at most twice
 * (see SmallPartsTest). Counted through the audit's store and, under it, at
 * the FileSystem, so an open that goes around the store is seen too. Before the store, a multi-part part whose
 * protocol lives in the checkpoint was opened 7 times (protocol, tombstones and header reads at 2 opens each: footer,
 * then rows; the add read once).
 */
class CheckpointReadOnceTest {

    /** Opens at the FileSystem, by path: every instance of the counting file system adds here. */
    static final Map<String, LongAdder> FS_OPENS = new ConcurrentHashMap<>();

    /** The local file system, counting each open of a file. */
    public static final class CountingLocalFileSystem extends LocalFileSystem {
        @Override
        public FSDataInputStream open(Path f, int bufferSize) throws IOException {
            FS_OPENS.computeIfAbsent(makeQualified(f).toString(), k -> new LongAdder()).increment();
            return super.open(f, bufferSize);
        }
    }

    @BeforeEach
    void reset() {
        FS_OPENS.clear();
    }

    @ParameterizedTest
    @ValueSource(strings = {"spark_multipart_checkpoint", "spark_v2_checkpoint_parquet", "spark_v2_checkpoint"})
    void eachCheckpointPartAndSidecarIsOpenedAtMostTwicePerAudit(String fixture) {
        Configuration conf = new Configuration();
        conf.set("fs.file.impl", CountingLocalFileSystem.class.getName());
        conf.setBoolean("fs.file.impl.disable.cache", true);
        LogHealthReader reader = new LogHealthReader(new HadoopStorage(conf), Clock.systemUTC());
        AtomicReference<LogStore> store = new AtomicReference<>();
        reader.storeOpened = store::set;

        TableHealth h = reader.read(TableLocation.of(Fixtures.table(fixture).toString()),
                SettingsThresholds.of(TableSettings.defaults().withReader(ReaderChoice.AUTO)));

        assertThat(h.reader()).isEqualTo("projected");
        DescribeDetailTruth.assertMatches(h, Fixtures.truth(fixture));
        Map<String, Long> opens = checkpointObjects(store.get().counters().opensByObject());
        long expectedObjects = h.log().lastCheckpointParts() + h.log().lastCheckpointSidecars();
        assertThat(opens).as("the checkpoint's parts and sidecars, each read").hasSize((int) expectedObjects);
        assertThat(opens.values()).as("small parts are fetched whole once for both passes: " + opens)
                .allSatisfy(n -> assertThat(n).isEqualTo(1L));
        assertThat(store.get().counters().rangeReads()).as("one whole-object read per part and sidecar")
                .isGreaterThanOrEqualTo(expectedObjects);
        if (fixture.equals("spark_multipart_checkpoint")) {
            assertThat(opens).hasSize(5);
        }
        Map<String, Long> atFileSystem = new TreeMap<>();
        FS_OPENS.forEach((path, n) -> atFileSystem.put(path, n.sum()));
        assertThat(checkpointObjects(atFileSystem)).as("no open goes around the store").isEqualTo(opens);
    }

    private static Map<String, Long> checkpointObjects(Map<String, Long> byPath) {
        Map<String, Long> out = new TreeMap<>();
        byPath.forEach((path, n) -> {
            if (path.contains(".checkpoint.") || path.contains("/_sidecars/")) {
                out.put(path.substring(path.indexOf("_delta_log/")), n);
            }
        });
        return out;
    }
}
