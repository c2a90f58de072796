package io.deltaagent.spark4;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.deltaagent.cli.ExitCode;
import io.deltaagent.config.TableSettings;
import io.deltaagent.deltalog.LogHealthReader;
import io.deltaagent.deltalog.storage.HadoopStorage;
import io.deltaagent.health.TableHealth;
import io.deltaagent.storage.TableLocation;
import io.deltaagent.testing.CliRun;
import io.deltaagent.testing.LogDirTruth;
import io.deltaagent.testing.Spark4FixtureTables;
import io.deltaagent.testing.Spark4Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 25's demo: a table Spark 4 wrote with a Delta 4 writer feature (materializePartitionColumns, which delta-spark 3.3
 * cannot write)
 * is healed by {@code maintain} through the local backend's Spark 4 runtime, the build found beside the 3.5 one as on a
 * fresh checkout; the 3.5 runtime never commits to it.
 */
class Spark4MaintainTest {

    private static final String TABLE = Spark4FixtureTables.DELTA4_WRITER_FEATURE;

    @TempDir
    Path tmp;

    private Path config(String runtime) throws IOException {
        return Files.writeString(tmp.resolve("agent-" + runtime + ".yaml"), """
                defaults:
                  hot-partition-window: 0s
                  max-log-read-latency: 1h
                  min-small-files: 2
                backends:
                  local: {spark-runtime: %s}
                """.formatted(runtime));
    }

    private CliRun maintain(Path config, Path table) {
        return CliRun.of("maintain", "--config", config.toString(), "--history-db", "jdbc:h2:file:" + tmp.resolve("history"),
                "--format", "json", "--local-heap", "1g", table.toString());
    }

    @Test
    void maintainHealsASpark4TableWithADelta4WriterFeatureThroughTheLocalSpark4Runtime() throws IOException {
        Path table = Spark4Fixtures.copy(TABLE, tmp);
        long filesBefore = Spark4Fixtures.truth(TABLE).get("numFiles").asLong();

        CliRun run = maintain(config("4"), table);

        assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(ExitCode.HEALTHY);
        JsonNode result = run.json().get("tables").get(0);
        JsonNode action = result.get("actions").get(0);
        assertThat(action.get("action").asText()).isEqualTo("OPTIMIZE");
        assertThat(action.get("state").asText()).as(action.toString()).isEqualTo("SUCCEEDED");
        assertThat(action.get("cluster").asText()).endsWith(", Spark 4");
        assertThat(result.get("before").get("files").asLong()).isEqualTo(filesBefore);
        assertThat(result.get("after").get("files").asLong()).isLessThan(filesBefore);
        assertThat(result.get("status").asText()).isIn("HEALED", "DEVIATED");
        // the commit delta-spark 4 wrote for it: an OPTIMIZE that replaced many files by fewer
        JsonNode commit = action.get("commit");
        assertThat(commit.findValue("operation").asText()).isEqualTo("OPTIMIZE");
        assertThat(commit.findValue("numAddedFiles").asLong()).isPositive().isLessThan(commit.findValue("numRemovedFiles").asLong());

        JsonNode history = CliRun.of("history", "--history-db", "jdbc:h2:file:" + tmp.resolve("history"), "--format", "json",
                table.toString()).json();
        assertThat(history.findValuesAsText("cluster")).isNotEmpty().allSatisfy(c -> assertThat(c).endsWith(", Spark 4"));
    }

    /**
     * delta-spark 3.3 runs the rewrite and only its commit refuses the unknown writer feature: the log and so the table's
     * content stay as they were, but the rewritten files are left behind as unreferenced orphans (until a VACUUM). The
     * planner and job refusal before any work is h25protocol's (TODO: then exit 4 and no orphans).
     */
    @Test
    void theSpark35RuntimeNeverCommitsToTheTable() throws IOException {
        Path table = Spark4Fixtures.copy(TABLE, tmp);
        JsonNode truth = Spark4Fixtures.truth(TABLE);
        List<String> logBefore = logFiles(table);
        List<String> dataBefore = dataFiles(table);
        LogDirTruth before = LogDirTruth.of(table);

        CliRun run = maintain(config("3.5"), table);

        // refused by the planner before any job: the 3.5 runtime lacks the table's writer feature
        assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(ExitCode.NOT_MAINTAINABLE);
        assertThat(run.out() + run.err()).contains("materializePartitionColumns");
        assertThat(logFiles(table)).isEqualTo(logBefore);
        assertThat(dataFiles(table)).as("no job ran, so no data file was written").isEqualTo(dataBefore);
        assertThat(LogDirTruth.of(table).bytes()).isEqualTo(before.bytes());
        TableHealth after = new LogHealthReader(new HadoopStorage(new Configuration()), Clock.systemUTC())
                .read(TableLocation.of(table.toString()), io.deltaagent.audit.SettingsThresholds.of(TableSettings.defaults()));
        assertThat(after.identity().version()).isEqualTo(truth.get("version").asLong());
        assertThat(after.files().activeFiles()).isEqualTo(truth.get("numFiles").asLong());
        assertThat(after.files().totalBytes()).isEqualTo(truth.get("sizeInBytes").asLong());
    }

    private static List<String> dataFiles(Path table) throws IOException {
        try (var files = Files.walk(table)) {
            return files.filter(Files::isRegularFile).map(p -> table.relativize(p).toString())
                    .filter(p -> !p.startsWith("_delta_log")).sorted().toList();
        }
    }

    private static List<String> logFiles(Path table) throws IOException {
        try (var files = Files.walk(table.resolve("_delta_log"))) {
            return files.filter(Files::isRegularFile).map(p -> table.relativize(p).toString()).sorted().toList();
        }
    }
}
