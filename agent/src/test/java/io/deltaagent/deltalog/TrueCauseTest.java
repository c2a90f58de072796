package io.deltaagent.deltalog;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.deltaagent.cli.ExitCode;
import io.deltaagent.testing.CliRun;
import io.deltaagent.testing.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Errors say the true cause: a file the agent may not read is not "missing", a directory it may not list is not "not a
 * Delta table", and a stale _last_checkpoint is no corruption when a newer checkpoint exists. The permission cases run
 * the CLI without root's power to override file modes (setpriv drops CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH), so
 * the modes hold as they would for any service account.
 */
class TrueCauseTest {

    private static final String TABLE = "spark_partitioned_checkpoints";

    @TempDir
    Path tmp;

    @Test
    void aCommitTheAgentMayNotReadIsAccessDeniedNotMissing() throws Exception {
        Path table = Fixtures.copy(TABLE, tmp);
        Path commit = table.resolve("_delta_log/00000000000000000022.json");
        Files.setPosixFilePermissions(commit, PosixFilePermissions.fromString("---------"));

        JsonNode error = auditWithoutDacOverride(table).get("tables").get(0).get("error");

        assertThat(error.get("kind").asText()).isEqualTo("ACCESS_DENIED");
        assertThat(error.get("message").asText()).contains("_delta_log/00000000000000000022.json")
                .contains("permission denied").doesNotContain("missing");
    }

    @Test
    void aTableDirectoryTheAgentMayNotListIsAccessDeniedNotNotATable() throws Exception {
        Path table = Fixtures.copy(TABLE, tmp);
        Files.setPosixFilePermissions(table, PosixFilePermissions.fromString("---------"));
        try {
            JsonNode error = auditWithoutDacOverride(table).get("tables").get(0).get("error");
            assertThat(error.get("kind").asText()).isEqualTo("ACCESS_DENIED");
            assertThat(error.get("message").asText()).contains("permission denied").contains("may not list " + table);
        } finally {
            Files.setPosixFilePermissions(table, PosixFilePermissions.fromString("rwx------"));
        }
    }

    /**
     * A file where a table directory belongs is "not a directory", whatever its mode (it has no x bit to search, which
     * read as "permission denied ... check its owner and mode"), and a _delta_log that is a file says so (it was a bare
     * STORAGE_ERROR). Through the CLI, each next to a healthy table that is still reported.
     */
    @Test
    void aFileWhereADirectoryBelongsIsNotADirectoryNotPermissionDenied() throws Exception {
        Path file = Files.writeString(tmp.resolve("events.csv"), "a,b\n");
        Path log = Files.createDirectories(tmp.resolve("half-table"));
        Files.writeString(log.resolve("_delta_log"), "{}\n");
        Path healthy = Fixtures.copy(TABLE, tmp);
        String[][] cases = {
            {file.toString(), "not a directory: " + file + " is a regular file"},
            {"/dev/null", "not a directory: /dev/null is a device or special file"},
            {file.resolve("table").toString(), "not a directory: " + file + " is a regular file"},
            {log.toString(), "not a Delta table: its _delta_log is a file"},
        };
        for (String[] c : cases) {
            CliRun run = CliRun.of("audit", "--format", "json", c[0], healthy.toString());
            assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCode.TABLE_FAILED);
            JsonNode tables = run.json().get("tables");
            JsonNode error = tables.get(0).get("error");
            assertThat(error.get("kind").asText()).as(c[0]).isEqualTo("NOT_A_DELTA_TABLE");
            assertThat(error.get("message").asText()).as(c[0]).startsWith(c[0] + ": " + c[1])
                    .doesNotContain("permission denied").doesNotContain("storage error");
            assertThat(tables.get(1).hasNonNull("error")).as("the healthy neighbour is still reported").isFalse();
        }
    }

    @Test
    void aStaleLastCheckpointHintWithANewerCheckpointIsReadAsDeltaReadsIt() throws Exception {
        Path table = Fixtures.copy(TABLE, tmp);
        Files.writeString(table.resolve("_delta_log/_last_checkpoint"), "{\"version\":15,\"size\":100}\n");
        // the hint's Hadoop checksum file would no longer match the rewritten hint
        Files.deleteIfExists(table.resolve("_delta_log/._last_checkpoint.crc"));
        for (String reader : List.of("projected", "kernel")) {
            CliRun run = CliRun.of("audit", "--format", "json", "--reader", reader, table.toString());
            assertThat(run.exitCode()).as(run.err()).isIn(ExitCode.HEALTHY, ExitCode.MAINTENANCE_DUE);
            JsonNode log = run.json().get("tables").get(0).get("health").get("log");
            assertThat(log.get("lastCheckpointVersion").asLong()).as(reader).isEqualTo(20);
            assertThat(log.get("lastCheckpointFromHint").asLong()).as("the stale hint is shown").isEqualTo(15);
        }
    }

    @Test
    void aCommitReplacedByADirectoryIsCorruptionNotASilentlyOlderTable() throws Exception {
        Path table = Fixtures.copy(TABLE, tmp);
        Path newest = table.resolve("_delta_log/00000000000000000024.json");
        Files.delete(newest);
        Files.deleteIfExists(table.resolve("_delta_log/.00000000000000000024.json.crc"));
        Files.createDirectory(newest);
        Files.writeString(table.resolve("_delta_log/notes.txt"), "left by someone\n");

        CliRun run = CliRun.of("audit", "--format", "json", table.toString());

        assertThat(run.exitCode()).isEqualTo(ExitCode.TABLE_FAILED);
        JsonNode error = run.json().get("tables").get(0).get("error");
        assertThat(error.get("kind").asText()).isEqualTo("CORRUPT_LOG");
        assertThat(error.get("message").asText()).contains("_delta_log/00000000000000000024.json is a directory");
    }

    /** The CLI in a JVM of its own, as root without the capabilities that bypass file modes. */
    private static JsonNode auditWithoutDacOverride(Path table) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("setpriv", "--bounding-set", "-dac_override,-dac_read_search"));
        cmd.addAll(CliRun.forkedCommand(List.of(), List.of("audit", "--format", "json", table.toString())));
        Path out = Files.createTempFile("audit", ".json");
        Path err = Files.createTempFile("audit", ".err");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertThat(p.waitFor(2, TimeUnit.MINUTES)).isTrue();
        assertThat(p.exitValue()).as(Files.readString(err)).isEqualTo(ExitCode.TABLE_FAILED);
        List<String> lines = Files.readAllLines(out);
        return new ObjectMapper().readTree(lines.get(lines.size() - 1));
    }
}
