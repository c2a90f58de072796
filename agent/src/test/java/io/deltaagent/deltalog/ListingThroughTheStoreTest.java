package io.deltaagent.deltalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deltaagent.audit.SettingsThresholds;
import io.deltaagent.config.TableSettings;
import io.deltaagent.deltalog.actions.CorruptLogException;
import io.deltaagent.deltalog.segment.LogObjects;
import io.deltaagent.deltalog.storage.HadoopLogStore;
import io.deltaagent.deltalog.storage.HadoopStorage;
import io.deltaagent.deltalog.storage.LogStore;
import io.deltaagent.health.TableHealth;
import io.deltaagent.storage.TableLocation;
import io.deltaagent.testing.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The audit lists the log and opens its checksum file through its store: both counted on the audit's own counters. */
class ListingThroughTheStoreTest {

    @Test
    void theAuditsListingAndChecksumReadAreCountedOnItsStore() {
        Path table = Fixtures.table("spark_partitioned_checkpoints");
        LogHealthReader reader = new LogHealthReader(new HadoopStorage(new Configuration()), Clock.systemUTC());
        AtomicReference<LogStore> store = new AtomicReference<>();
        reader.storeOpened = store::set;
        try {
            TableHealth h = reader.read(TableLocation.of(table.toString()), SettingsThresholds.of(TableSettings.defaults()));
            assertThat(h.checksum()).isNotNull(); // 24.crc is listed beside the version read
            assertThat(store.get().counters().listRequests()).isEqualTo(1);
            String crc = table.resolve("_delta_log/00000000000000000024.crc").toUri().getPath();
            assertThat(store.get().counters().opensByObject()).hasEntrySatisfying(
                    store.get().counters().opensByObject().keySet().stream().filter(k -> k.endsWith(crc)).findFirst()
                            .orElseThrow(() -> new AssertionError("24.crc not opened through the store: "
                                    + store.get().counters().opensByObject().keySet())), n -> assertThat(n).isEqualTo(1));
        } finally {
            reader.close();
        }
    }

    @Test
    void theStoresListingIsTheLogsObjectsAndADirectoryNamedLikeACommitIsRefused(@TempDir Path dir) throws Exception {
        Path table = Fixtures.copy("spark_partitioned_checkpoints", dir);
        org.apache.hadoop.fs.Path logDir = new org.apache.hadoop.fs.Path(table.resolve("_delta_log").toUri());
        FileSystem fs = logDir.getFileSystem(new Configuration());
        try (LogStore store = new HadoopLogStore(fs)) {
            var listed = LogObjects.list(store, logDir.toString(), null, -1);
            assertThat(listed).extracting(LogObjects.LogObject::key).contains("00000000000000000024.json",
                    "00000000000000000024.crc", "_last_checkpoint").isSorted();
            assertThat(LogObjects.list(store, logDir.toString(), "00000000000000000023.json", -1))
                    .extracting(LogObjects.LogObject::key).first().isEqualTo("00000000000000000024.crc");
            assertThat(store.counters().listRequests()).isEqualTo(2);

            String hint = new org.apache.hadoop.fs.Path(logDir, "_last_checkpoint").toString();
            assertThat(store.readIfExists(hint)).hasValueSatisfying(b -> assertThat(new String(b)).contains("\"version\""));
            assertThat(store.readIfExists(hint + ".missing")).isEmpty();
            assertThat(store.counters().opensByObject()).containsEntry(hint, 1L);

            Files.createDirectory(table.resolve("_delta_log/00000000000000000099.json"));
            assertThatThrownBy(() -> LogObjects.list(store, logDir.toString(), null, -1)).isInstanceOf(CorruptLogException.class)
                    .hasMessageContaining("_delta_log/00000000000000000099.json is a directory, not a log file");
        }
    }
}
