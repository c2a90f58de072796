package io.deltaagent.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltaagent.testing.CliRun;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded H2 history database's life: opened once when the store opens and held while it is open (a
 * connection per call used to close and reopen it between calls, many times a minute in a busy daemon),
 * released when it closes. Seen from another process, the way an operator's second command sees it.
 */
class EmbeddedHistoryStoreTest {

    @TempDir
    Path tmp;

    @Test
    void theDatabaseIsHeldWhileTheStoreIsOpenAndReleasedWhenItCloses() {
        String url = "jdbc:h2:file:" + tmp.resolve("history");
        try (HistoryStore store = HistoryStore.open(url, "sa", "")) {
            long id = store.submitted("/lake/events", "OPTIMIZE", "{}", "local", null, 24, Instant.parse("2026-11-28T01:00:00Z"), "{}");
            store.finished(id, RunState.SUCCEEDED, null, Instant.parse("2026-11-28T01:01:00Z"), null, "{}", 25L, null);
            store.commitInfo(id, "{\"operation\":\"OPTIMIZE\",\"version\":25}");

            // between calls too: a second process is told who holds the file and where to look instead
            CliRun busy = CliRun.forked("history", "--history-db", url);
            assertThat(busy.exitCode()).as(busy.err()).isEqualTo(2);
            assertThat(busy.err()).contains("history database " + url + " is in use by another process").contains("/api/history");
        }

        CliRun after = CliRun.forked("history", "--history-db", url, "--format", "json");
        assertThat(after.exitCode()).as(after.err()).isZero();
        assertThat(after.json()).hasSize(1);
        assertThat(after.json().get(0).get("state").asText()).isEqualTo("SUCCEEDED");
        assertThat(after.json().get(0).get("commit").get("operation").asText()).isEqualTo("OPTIMIZE");
    }
}
