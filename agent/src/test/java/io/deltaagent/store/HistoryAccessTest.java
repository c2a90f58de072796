package io.deltaagent.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deltaagent.cli.ExitCode;
import io.deltaagent.error.DeltaAgentException;
import io.deltaagent.testing.CliRun;
import io.deltaagent.testing.Fixtures;
import io.deltaagent.testing.HistoryDb;
import io.deltaagent.testing.TestRuns;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A history the agent's user may not write, seen by that user: one line naming the directory or file and what to do,
 * exit 2 as the README's table says for the history database, no H2 trace (it used to print 117 lines, on stdout too)
 * and no SQL. The CLI runs as root without the capabilities that bypass file modes (setpriv), so the modes hold as for
 * any service account.
 */
class HistoryAccessTest {

    @TempDir
    Path tmp;

    @Test
    void aHistoryDirectoryTheAgentMayNotWriteIsOneClearLine() throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("readonly-dir"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("r-xr-xr-x"));
        String url = HistoryDb.h2(dir);

        CliRun history = withoutDacOverride("history", "--history-db", url);

        assertThat(history.exitCode()).as(history.err()).isEqualTo(ExitCode.USAGE);
        assertThat(history.out()).as("stdout carries results only").isEmpty();
        assertThat(history.err().strip()).isEqualTo("delta-agent: history database " + url + ": cannot create "
                + dir.resolve("history.mv.db") + ": " + dir + " is not a directory this process (user root) may write. Make it "
                + "writable, or give --history-db a directory it may write");
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void aReadOnlyHistoryFileRefusesMaintainBeforeAnyWorkAndStillReadsForHistory() throws Exception {
        Path table = Fixtures.copy("spark_deletion_vectors", tmp); // OPTIMIZE due: maintain would record a run
        String url = HistoryDb.h2(tmp);
        Path file = tmp.resolve("history.mv.db");
        HistoryStore.open(url, "sa", "").close();
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r--r--r--"));
        byte[] before = Files.readAllBytes(file);
        long commits;
        try (Stream<Path> log = Files.list(table.resolve("_delta_log"))) {
            commits = log.count();
        }

        CliRun maintain = withoutDacOverride("maintain", "--history-db", url, "--format", "json", table.toString());

        assertThat(maintain.exitCode()).as(maintain.err()).isEqualTo(ExitCode.USAGE);
        // --format json: the error as one JSON document on stdout too (and nothing else there)
        assertThat(maintain.out().strip().lines()).hasSize(1);
        assertThat(maintain.json().get("exitCode").asInt()).isEqualTo(ExitCode.USAGE);
        assertThat(maintain.json().get("error").get("kind").asText()).isEqualTo("USAGE");
        assertThat(maintain.json().get("error").get("setting").asText()).isEqualTo("--history-db");
        assertThat(maintain.err().strip()).isEqualTo("delta-agent: history database " + url + ": " + file + " is read-only for "
                + "user root, and this command records in it: nothing was done. Make it writable (chmod u+w), or give "
                + "--history-db a writable copy");
        assertThat(Files.readAllBytes(file)).isEqualTo(before);
        try (Stream<Path> log = Files.list(table.resolve("_delta_log"))) {
            assertThat(log.count()).as("no job ran").isEqualTo(commits);
        }

        CliRun history = withoutDacOverride("history", "--history-db", url, "--format", "json");
        assertThat(history.exitCode()).as("reading needs no write: " + history.err()).isZero();
        assertThat(history.err()).isEmpty();
        assertThat(history.out().strip()).isEqualTo("[]");
    }

    @Test
    void aDatabaseErrorIsReportedWithoutTheSqlStatement() {
        try (HistoryStore store = HistoryStore.open(HistoryDb.h2(tmp), "sa", "")) {
            String tooLong = "/lake/" + "t".repeat(5000); // table_path is VARCHAR(4096)

            assertThatThrownBy(() -> TestRuns.submitted(store, tooLong, "OPTIMIZE", "{}", "local", null, 1, Instant.EPOCH, "{}"))
                    .isInstanceOf(DeltaAgentException.class).hasMessageContaining("cannot record the submitted OPTIMIZE run")
                    .hasMessageContaining("Value too long").hasMessageContaining("[22001-")
                    .hasMessageNotContaining("SQL statement").hasMessageNotContaining("INSERT INTO");
        }
    }

    /** The CLI in a JVM of its own, as root without the capabilities that bypass file modes. */
    private static CliRun withoutDacOverride(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("setpriv", "--bounding-set", "-dac_override,-dac_read_search"));
        cmd.addAll(CliRun.forkedCommand(List.of(), List.of(args)));
        Path out = Files.createTempFile("cli", ".out");
        Path err = Files.createTempFile("cli", ".err");
        try {
            Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            assertThat(p.waitFor(2, TimeUnit.MINUTES)).isTrue();
            return new CliRun(p.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
