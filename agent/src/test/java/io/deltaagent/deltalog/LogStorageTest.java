package io.deltaagent.deltalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deltaagent.audit.SettingsThresholds;
import io.deltaagent.config.ReaderChoice;
import io.deltaagent.config.TableSettings;
import io.deltaagent.deltalog.history.CommitInfoReader;
import io.deltaagent.deltalog.storage.HadoopStorage;
import io.deltaagent.deltalog.storage.LogStorage;
import io.deltaagent.deltalog.storage.LogStore;
import io.deltaagent.deltalog.storage.ReadExecutor;
import io.deltaagent.error.TableReadException;
import io.deltaagent.health.TableHealth;
import io.deltaagent.storage.TableLocation;
import io.deltaagent.testing.Fixtures;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;

/**
 * The readers reach storage only through the {@link LogStorage} they are built from: one that is not Hadoop's (here a
 * wrapper that hides it, over real stores) gives the same figures, sees every store the audit opens, and the two
 * libraries that read through Hadoop themselves (Kernel, Standalone) are refused by name instead of reaching around it.
 */
class LogStorageTest {

    private static final Clock CLOCK = Clock.fixed(Instant.now(), ZoneOffset.UTC);

    /** Storage the readers cannot take for Hadoop's: it counts the stores they open through it. */
    private static final class OtherStorage implements LogStorage {
        private final HadoopStorage real = new HadoopStorage(new Configuration());
        final AtomicInteger opened = new AtomicInteger();

        @Override
        public LogStore open(TableLocation table, ReadExecutor engine) throws IOException {
            opened.incrementAndGet();
            return real.open(table, engine);
        }

        @Override
        public LogStore open(TableLocation table) throws IOException {
            opened.incrementAndGet();
            return real.open(table);
        }

        @Override
        public String logDir(TableLocation table) throws IOException {
            return real.logDir(table);
        }
    }

    private static TableHealth audit(LogStorage storage, String fixture, ReaderChoice choice) {
        try (LogHealthReader reader = new LogHealthReader(storage, CLOCK)) {
            return reader.read(TableLocation.of(Fixtures.table(fixture).toString()),
                    SettingsThresholds.of(TableSettings.defaults().withReader(choice)));
        }
    }

    @Test
    void aReaderOnAnyLogStorageReadsThroughItAndGivesTheFiguresOfHadoopStorage() {
        OtherStorage other = new OtherStorage();
        TableHealth through = audit(other, "spark_deletion_vectors_partitioned", ReaderChoice.AUTO);
        TableHealth hadoop = audit(new HadoopStorage(new Configuration()), "spark_deletion_vectors_partitioned", ReaderChoice.AUTO);

        assertThat(through.reader()).isEqualTo("projected");
        assertThat(other.opened).as("one store for the one audit").hasValue(1);
        assertThat(through.identity()).isEqualTo(hadoop.identity());
        assertThat(through.files()).isEqualTo(hadoop.files());
        assertThat(through.tombstones()).isEqualTo(hadoop.tombstones());
        assertThat(through.deletionVectors()).isEqualTo(hadoop.deletionVectors());
        assertThat(through.readCost().requests()).as("counted on the store it opened").isEqualTo(hadoop.readCost().requests());
    }

    @Test
    void theHadoopBoundLibrariesOnOtherStorageAreRefusedByName() {
        String table = TableLocation.of(Fixtures.table("spark_partitioned_checkpoints").toString()).display();
        for (ReaderChoice choice : new ReaderChoice[] {ReaderChoice.KERNEL, ReaderChoice.STANDALONE}) {
            assertThatThrownBy(() -> audit(new OtherStorage(), "spark_partitioned_checkpoints", choice))
                    .isInstanceOfSatisfying(TableReadException.class,
                            e -> assertThat(e.kind()).isEqualTo(TableReadException.Kind.UNSUPPORTED_PROTOCOL))
                    .hasMessageStartingWith(table + ": ")
                    .hasMessageContaining(choice == ReaderChoice.KERNEL ? "Delta Kernel" : "Delta Standalone")
                    .hasMessageContaining("reads Hadoop storage only, and this reader's storage is OtherStorage");
        }
    }

    @Test
    void aRunsCommitsAreReadBackThroughTheStorage() throws IOException {
        OtherStorage other = new OtherStorage();
        CommitInfoReader commits = new CommitInfoReader(other);
        String table = Fixtures.table("spark_partitioned_checkpoints").toString();

        assertThat(commits.read(table, 0)).hasValueSatisfying(info -> {
            assertThat(info.path("version").asLong()).isZero();
            assertThat(info.path("operation").asText()).isNotEmpty();
        });
        assertThat(commits.read(table, 1_000_000)).as("a version that does not exist").isEmpty();
        assertThat(other.opened).as("a store per read, closed with it").hasValue(2);
    }
}
