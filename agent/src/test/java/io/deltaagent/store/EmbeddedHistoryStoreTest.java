package io.deltaagent.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltaagent.testing.CliRun;
import io.deltaagent.testing.HistoryDb;
import io.deltaagent.testing.TestRuns;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded H2 history database shared by processes, seen the way an operator's second command sees it: the
 * daemon's pooled store holds the file for its whole life (a connection per call used to close and reopen it many
 * times a minute), a command waits its turn for a while and then is told where to look instead.
 */
class EmbeddedHistoryStoreTest {

    @TempDir
    Path tmp;

    @Test
    void aCommandWaitsForTheFileAndReadsItOnceTheHolderCloses() throws Exception {
        String url = HistoryDb.h2(tmp);
        HistoryStore daemon = record(url);
        CompletableFuture<CliRun> history = CompletableFuture.supplyAsync(
                () -> CliRun.forked("history", "--history-db", url, "--format", "json"));
        Thread.sleep(3_000);
        assertThat(history).as("waiting while the file is held").isNotDone();
        daemon.close();

        CliRun after = history.get(2, TimeUnit.MINUTES);
        assertThat(after.exitCode()).as(after.err()).isZero();
        assertThat(after.json()).hasSize(1);
        assertThat(after.json().get(0).get("state").asText()).isEqualTo("SUCCEEDED");
        assertThat(after.json().get(0).get("commit").get("operation").asText()).isEqualTo("OPTIMIZE");
    }

    @Test
    void aCommandGivesUpAfterItsWaitAndSaysWhoHoldsTheFile() {
        String url = HistoryDb.h2(tmp);
        try (HistoryStore daemon = record(url)) {
            long t0 = System.nanoTime();
            CliRun busy = CliRun.forked("history", "--history-db", url);
            assertThat(busy.exitCode()).as(busy.err()).isEqualTo(2);
            assertThat(busy.err()).contains("history database " + url + " is in use by another process").contains("/api/history");
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(HistoryStore.IN_USE_WAIT.minusSeconds(1));
            assertThat(daemon.runs().history(null, 10)).as("the holder carries on").hasSize(1);
        }
    }

    /** A daemon's store with one finished run in it. */
    private static HistoryStore record(String url) {
        HistoryStore store = HistoryStore.openPooled(url, "sa", "", 4);
        long id = TestRuns.submitted(store, "/lake/events", "OPTIMIZE", "{}", "local", null, 24, Instant.parse("2026-11-28T01:00:00Z"), "{}");
        store.runs().finished(id, RunState.SUCCEEDED, null, Instant.parse("2026-11-28T01:01:00Z"), null, "{}", 25L, null);
        store.runs().commitInfo(id, "{\"operation\":\"OPTIMIZE\",\"version\":25}");
        return store;
    }
}
