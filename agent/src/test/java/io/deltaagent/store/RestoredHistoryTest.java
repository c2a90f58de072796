package io.deltaagent.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltaagent.cli.ExitCode;
import io.deltaagent.testing.CliRun;
import io.deltaagent.testing.HistoryDb;
import io.deltaagent.testing.TestRuns;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An embedded history file that lost its newest runs (restored from an older copy, truncated by a full disk) is refused
 * with both figures, never read as if the lost runs had not happened.
 */
class RestoredHistoryTest {

    @TempDir
    Path tmp;

    @Test
    void aHistoryFileMissingItsNewestRunsIsRefusedUntilTheLossIsAccepted() throws Exception {
        String db = HistoryDb.h2(tmp);
        Path file = tmp.resolve("history.mv.db");
        Path older = tmp.resolve("backup.mv.db");
        Instant t0 = Instant.parse("2026-12-04T01:00:00Z");
        try (HistoryStore store = HistoryStore.open(db, "sa", "")) {
            TestRuns.submitted(store, "/lake/t", "OPTIMIZE", "{}", "local", "local[2]", 1, t0, "{}");
        }
        Files.copy(file, older);
        try (HistoryStore store = HistoryStore.open(db, "sa", "")) {
            TestRuns.submitted(store, "/lake/t", "CHECKPOINT", "{}", "local", "local[2]", 2, t0.plusSeconds(60), "{}");
            TestRuns.submitted(store, "/lake/t", "VACUUM", "{}", "local", "local[2]", 3, t0.plusSeconds(120), "{}");
        }
        Files.copy(older, file, StandardCopyOption.REPLACE_EXISTING);

        CliRun refused = CliRun.of("history", "--history-db", db, "--format", "json");

        assertThat(refused.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(refused.out().strip().lines()).as("--format json: the error document alone").hasSize(1);
        assertThat(refused.json().get("exitCode").asInt()).isEqualTo(ExitCode.USAGE);
        assertThat(refused.err()).contains("holds runs up to 1 but runs up to 3 were recorded in it")
                .contains("truncated or restored from an older copy").contains(tmp.resolve("history.mv.db.runs").toString());

        Files.delete(tmp.resolve("history.mv.db.runs"));
        CliRun accepted = CliRun.of("history", "--history-db", db, "--format", "json");
        assertThat(accepted.exitCode()).as(accepted.err()).isEqualTo(ExitCode.HEALTHY);
        assertThat(accepted.out()).contains("\"action\":\"OPTIMIZE\"").doesNotContain("VACUUM");
    }
}
