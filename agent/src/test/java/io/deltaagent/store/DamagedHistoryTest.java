package io.deltaagent.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deltaagent.cli.ExitCode;
import io.deltaagent.error.DeltaAgentException;
import io.deltaagent.testing.CliRun;
import io.deltaagent.testing.HistoryDb;
import io.deltaagent.testing.TestRuns;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A history file cut short (a full disk, a partial copy) is refused before anything writes to it: H2 takes an empty or
 * header-only file for a new database and used to write a fresh schema over it, so the damaged file was gone by the
 * time the agent said "runs up to 0". Now the file is named, the way out given, and the file left byte for byte.
 */
class DamagedHistoryTest {

    @TempDir
    Path tmp;

    @ParameterizedTest(name = "truncated to {0} bytes, runs mark kept: {1}")
    @CsvSource({"0, true", "8192, true", "0, false", "8192, false"})
    void aTruncatedHistoryFileIsRefusedNamedAndLeftAsItIs(int size, boolean markKept) throws Exception {
        String url = HistoryDb.h2(tmp);
        Path file = tmp.resolve("history.mv.db");
        try (HistoryStore store = HistoryStore.open(url, "sa", "")) {
            TestRuns.submitted(store, "/lake/t", "OPTIMIZE", "{}", "local", "local[2]", 1, Instant.parse("2026-12-04T01:00:00Z"), "{}");
        }
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(size);
        }
        if (!markKept) {
            Files.delete(tmp.resolve("history.mv.db.runs"));
        }
        byte[] damaged = Files.readAllBytes(file);

        for (String command : new String[] {"history", "maintain"}) {
            CliRun refused = CliRun.of(command, "--history-db", url, "--format", "json",
                    command.equals("maintain") ? tmp.resolve("table").toString() : "--limit=5");
            assertThat(refused.exitCode()).as(command + ": " + refused.err()).isEqualTo(ExitCode.USAGE);
            assertThat(refused.out().strip().lines()).as("--format json: the error document alone").hasSize(1);
            assertThat(refused.json().get("error").get("message").asText()).startsWith("history database " + url + ": the file ");
            assertThat(refused.err().strip()).as(command).startsWith("delta-agent: history database " + url + ": the file "
                    + file + " is damaged").contains("It was left as it is").contains("Restore it from a copy")
                    .doesNotContain("\n");
        }
        assertThatThrownBy(() -> HistoryStore.openPooled(url, "sa", "", 2)).as("the daemon's store")
                .isInstanceOf(DeltaAgentException.class).hasMessageContaining(file + " is damaged");

        assertThat(Files.readAllBytes(file)).as("the damaged file, byte for byte").isEqualTo(damaged);
        assertThat(tmp.resolve("history.trace.db")).doesNotExist();
    }
}
