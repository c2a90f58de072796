package io.deltaagent.deltalog;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltaagent.audit.SettingsThresholds;
import io.deltaagent.config.TableSettings;
import io.deltaagent.deltalog.storage.HadoopStorage;
import io.deltaagent.deltalog.storage.ReadExecutor;
import io.deltaagent.health.TableHealth;
import io.deltaagent.storage.TableLocation;
import io.deltaagent.testing.Fixtures;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;

/**
 * A reader's audits read on the reader's one bounded pool: many audits at once start no more read threads than the
 * pool holds (each audit started a pool of eight of its own before), and closing the reader ends them.
 */
class ReaderThreadsTest {

    @Test
    void manyAuditsAtOnceShareTheReadersBoundedPoolAndCloseEndsIt() throws Exception {
        TableLocation table = TableLocation.of(Fixtures.table("spark_partitioned_checkpoints").toString());
        ReadThresholds settings = SettingsThresholds.of(TableSettings.defaults());
        ExecutorService callers = Executors.newFixedThreadPool(8);
        LogHealthReader reader = new LogHealthReader(new HadoopStorage(new Configuration()), Clock.systemUTC());
        try {
            TableHealth alone = reader.read(table, settings);
            long started = java.lang.management.ManagementFactory.getThreadMXBean().getTotalStartedThreadCount();
            List<Future<TableHealth>> audits = new ArrayList<>();
            for (int i = 0; i < 80; i++) {
                audits.add(callers.submit(() -> reader.read(table, settings)));
            }
            for (Future<TableHealth> a : audits) {
                TableHealth h = a.get();
                assertThat(h.files()).isEqualTo(alone.files());
                assertThat(h.activity().commitsRead()).isEqualTo(alone.activity().commitsRead());
            }
            assertThat(alone.activity().commitsRead()).isGreaterThan(1); // the history did read on the pool
            // the read pool's threads, the callers' 8, and at most one beside-thread per audit at once: not one pool per audit
            long threadsStarted = java.lang.management.ManagementFactory.getThreadMXBean().getTotalStartedThreadCount() - started;
            assertThat(threadsStarted).isLessThanOrEqualTo(ReadExecutor.THREADS + 8 + 8 + 4);
            assertThat(reader.reads().threads()).isPositive().isLessThanOrEqualTo(ReadExecutor.THREADS);
            assertThat(reader.reads().largestThreads()).isLessThanOrEqualTo(ReadExecutor.THREADS);
        } finally {
            callers.shutdownNow();
            reader.close();
        }
        io.deltaagent.testing.Eventually.await("the read threads to end", java.time.Duration.ofSeconds(5),
                () -> reader.reads().threads(), n -> n == 0);
    }
}
