package io.deltaagent.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deltaagent.error.DeltaAgentException;
import io.deltaagent.store.DbRetry;
import io.deltaagent.store.HistoryStore;
import io.deltaagent.store.RunRecord;
import io.deltaagent.store.RunState;
import io.deltaagent.testing.PostgresTestServer;
import io.deltaagent.testing.TestRuns;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The history database goes away under a running daemon (a PostgreSQL restart or failover) and comes back:
 * a call fails soon and says so, a call through the daemon's retry waits it out, and the store's pooled
 * connections recover without a restart of the agent. A real PostgreSQL server of this test's own, stopped
 * and started again.
 */
class DatabaseOutageTest {

    @Test
    void callsWaitOutADatabaseRestartAndThePoolRecovers() throws Exception {
        PostgresTestServer pg = PostgresTestServer.own();
        try (HistoryStore store = HistoryStore.openPooled(pg.jdbcUrl(), "agent", "", 4)) {
            long id = TestRuns.submitted(store, "/lake/events", "OPTIMIZE", "{}", "local", null, 24, Instant.now(), "{}");

            pg.stop();
            long t0 = System.nanoTime();
            assertThatThrownBy(() -> store.runs().history(null, 10)).isInstanceOf(DeltaAgentException.class)
                    .hasMessageStartingWith("cannot read the maintenance history");
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("a call fails within the pool's wait, not a TCP timeout")
                    .isLessThan(Duration.ofSeconds(20));

            // the end of a job, recorded while the database is away: the daemon's retry holds it until it is back
            DbRetry retry = new DbRetry(Duration.ofMinutes(2), Duration.ofMillis(200));
            CompletableFuture<Void> recorded = CompletableFuture.runAsync(() -> {
                try {
                    retry.run(() -> store.runs().finished(id, RunState.SUCCEEDED, null, Instant.now(), null, "{}", 25L, null),
                            "/lake/events: record the end of run " + id);
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            Thread.sleep(3_000);
            assertThat(recorded).as("still waiting while the database is down").isNotDone();
            pg.start();
            recorded.get(90, TimeUnit.SECONDS);

            List<RunRecord> runs = store.runs().history(null, 10);
            assertThat(runs).singleElement().satisfies(r -> {
                assertThat(r.state()).isEqualTo(RunState.SUCCEEDED);
                assertThat(r.commitVersion()).isEqualTo(25L);
            });
            assertThat(store.reachable()).isTrue();
        } finally {
            pg.stop();
        }
    }
}
