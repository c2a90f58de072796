package io.deltaagent.deltalog.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The engine's shared read pool: per-audit bounds, one audit's close not reaching another's reads, a fixed thread count. */
@Tag("fast")
class ReadExecutorTest {

    @Test
    void aLaneHasAtMostItsBoundInFlightAndTheRestRunInOrder() throws Exception {
        try (ReadExecutor engine = new ReadExecutor(8)) {
            ExecutorService lane = engine.lane(3);
            AtomicInteger now = new AtomicInteger();
            AtomicInteger most = new AtomicInteger();
            List<Integer> order = java.util.Collections.synchronizedList(new ArrayList<>());
            List<Future<?>> tasks = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                int n = i;
                tasks.add(lane.submit(() -> {
                    most.accumulateAndGet(now.incrementAndGet(), Math::max);
                    order.add(n);
                    Thread.sleep(2);
                    now.decrementAndGet();
                    return null;
                }));
            }
            for (Future<?> t : tasks) {
                t.get(10, TimeUnit.SECONDS);
            }
            assertThat(most.get()).isEqualTo(3);
            assertThat(order).hasSize(30);
            assertThat(order.subList(0, 3)).containsExactlyInAnyOrder(0, 1, 2); // admitted first
        }
    }

    @Test
    void anAuditWithAThousandReadsQueuedDoesNotHoldBackAnotherAudits() throws Exception {
        try (ReadExecutor engine = new ReadExecutor(4)) {
            ExecutorService busy = engine.lane(2);
            CountDownLatch release = new CountDownLatch(1);
            for (int i = 0; i < 1000; i++) {
                busy.submit(() -> {
                    release.await();
                    return null;
                });
            }
            // two of the pool's four threads are the busy audit's, whatever it has queued: the other audit reads at once
            Future<String> other = engine.lane(2).submit(() -> "read");
            assertThat(other.get(5, TimeUnit.SECONDS)).isEqualTo("read");
            release.countDown();
        }
    }

    @Test
    void closingOneAuditsReadsStopsThemAndLeavesTheOtherAuditsRunning() throws Exception {
        try (ReadExecutor engine = new ReadExecutor(4)) {
            ExecutorService closed = engine.lane(1);
            ExecutorService kept = engine.lane(1);
            CountDownLatch started = new CountDownLatch(2);
            CountDownLatch release = new CountDownLatch(1);
            Future<?> running = closed.submit(() -> {
                started.countDown();
                Thread.sleep(60_000);
                return null;
            });
            Future<?> queued = closed.submit(() -> null);
            Future<String> other = kept.submit(() -> {
                started.countDown();
                release.await();
                return "done";
            });
            assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
            closed.shutdownNow();
            assertThatThrownBy(() -> running.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(InterruptedException.class);
            assertThatThrownBy(() -> queued.get(5, TimeUnit.SECONDS)).isInstanceOf(CancellationException.class);
            assertThatThrownBy(() -> closed.submit(() -> null)).isInstanceOf(RejectedExecutionException.class);
            release.countDown();
            assertThat(other.get(5, TimeUnit.SECONDS)).isEqualTo("done");
            assertThat(closed.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void manyAuditsShareTheReadersThreads() throws Exception {
        try (ReadExecutor engine = new ReadExecutor(6)) {
            List<Future<?>> all = new ArrayList<>();
            for (int audit = 0; audit < 100; audit++) {
                ExecutorService lane = engine.lane(ReadExecutor.PER_AUDIT);
                for (int i = 0; i < 20; i++) {
                    all.add(lane.submit(() -> {
                        Thread.sleep(1);
                        return null;
                    }));
                }
                lane.shutdown();
            }
            for (Future<?> f : all) {
                f.get(30, TimeUnit.SECONDS);
            }
            assertThat(engine.largestThreads()).isEqualTo(6); // 100 audits of the old per-audit pools: 800 threads
        }
    }

    @Test
    void aClosedReaderRefusesReadsAndCancelsWhatItQueued() throws Exception {
        ReadExecutor engine = new ReadExecutor(1);
        ExecutorService lane = engine.lane(2);
        CountDownLatch started = new CountDownLatch(1);
        Future<?> blocking = lane.submit(() -> {
            started.countDown();
            Thread.sleep(60_000);
            return null;
        });
        assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
        engine.close();
        assertThatThrownBy(() -> blocking.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(InterruptedException.class);
        assertThatThrownBy(() -> lane.submit(() -> null)).isInstanceOf(RejectedExecutionException.class);
        assertThatThrownBy(() -> new ReadExecutor(0)).hasMessageContaining("at least 1");
    }
}
