package io.deltaagent.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.delta.DeltaLog;
import org.apache.spark.sql.delta.Snapshot;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checkpoint runs on a table of many small commits. Delta decides what expired from file modification times,
 * so the tests move the log's times into the past instead of waiting days.
 */
class CheckpointJobTest {
    private static final int COMMITS = 12;

    @TempDir
    static Path fixtures;

    @TempDir
    Path tmp;

    private static SparkSession spark;
    private static Path master;

    /** One-row appends as commits 1..11 after the CREATE, auto-checkpoints at 5 and 10, 1 day of log retention. */
    @BeforeAll
    static void tableWithManyCommits() {
        spark = SparkTestSession.get();
        master = fixtures.resolve("many_commits");
        spark.sql("CREATE TABLE delta.`" + master + "` (id BIGINT, note STRING) USING delta TBLPROPERTIES ("
                + "'delta.logRetentionDuration' = 'interval 1 days', 'delta.checkpointInterval' = '5', "
                // delta-spark 4 requires log retention >= deleted-file retention (7 days by default)
                + "'delta.deletedFileRetentionDuration' = 'interval 1 days')");
        for (int i = 1; i < COMMITS; i++) {
            spark.sql("INSERT INTO delta.`" + master + "` VALUES (" + i + ", 'commit " + i + "')");
        }
    }

    private String tableWithManyCommits(String name, boolean expiredLogCleanup) {
        String table = Fixtures.copy(master, tmp.resolve(name)).toString();
        if (!expiredLogCleanup) {
            // one more commit (version COMMITS), so the latest version moves on by one
            spark.sql("ALTER TABLE delta.`" + table + "` SET TBLPROPERTIES "
                    + "('delta.enableExpiredLogCleanup' = 'false')");
        }
        return table;
    }

    @Test
    void writesACheckpointAtTheLatestVersionAndRemovesExpiredLogFiles() {
        String table = tableWithManyCommits("events", true);
        Path log = Path.of(table, "_delta_log");
        long latest = COMMITS - 1;
        TableData.Fingerprint data = TableData.fingerprint(spark, table);
        LogFiles.age(log, Duration.ofDays(5).toMillis());
        assertThat(LogFiles.names(log)).contains(LogFiles.commit(0), LogFiles.checkpoint(5), LogFiles.checkpoint(10))
                .doesNotContain(LogFiles.checkpoint(latest));

        JobCli.Run run = JobCli.run("checkpoint", "--table", table);

        assertThat(run.exitCode()).as(run.stdout().toString()).isZero();
        assertThat(LogFiles.names(log))
                .contains(LogFiles.checkpoint(latest), LogFiles.commit(latest), "_last_checkpoint")
                .doesNotContain(LogFiles.commit(0), LogFiles.commit(latest - 1), LogFiles.checkpoint(5),
                        LogFiles.checkpoint(10));
        JsonNode result = run.result();
        JsonNode details = result.get("log");
        assertThat(result.get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(result.get("versionBefore").asLong()).isEqualTo(latest);
        assertThat(result.get("versionAfter").asLong()).isEqualTo(latest);
        assertThat(result.get("commitVersion").isNull()).isTrue();
        assertThat(details.get("checkpointVersion").asLong()).isEqualTo(latest);
        assertThat(details.get("checkpointParts").asInt()).isEqualTo(1);
        assertThat(details.get("expiredLogCleanup").asText()).isEqualTo("RAN");
        assertThat(details.get("logRetention").asText()).isEqualTo("1d");
        assertThat(details.get("checkpointRetention").asText()).isEqualTo("2d");
        // commits 0..10 and checkpoints 5 and 10 went; the new checkpoint came
        assertThat(details.get("objectsDeleted").asLong()).isGreaterThanOrEqualTo(COMMITS - 1 + 2);
        assertThat(details.get("objectsAfter").asLong()).isLessThan(details.get("objectsBefore").asLong());
        assertThat(details.get("bytesAfter").asLong()).isLessThan(details.get("bytesBefore").asLong());

        // a fresh reader starts from the checkpoint and replays no commit at all
        DeltaLog.clearCache();
        Snapshot snapshot = DeltaLog.forTable(spark, table).update(false, scala.Option.empty(), scala.Option.empty());
        assertThat(snapshot.version()).isEqualTo(latest);
        assertThat(snapshot.logSegment().checkpointProvider().version()).isEqualTo(latest);
        assertThat(snapshot.logSegment().deltas().size()).isZero();
        assertThat(TableData.fingerprint(spark, table)).isEqualTo(data);
    }

    /**
     * Issue 25: log compaction files follow PROTOCOL.md's cleanup rule, a file goes when its start version is at or
     * before the cutoff (delta-spark 3.3 alone goes by its end version), and one within the kept commits stays.
     */
    @Test
    void metadataCleanupDeletesCompactionFilesStartingAtOrBeforeTheCutoff() throws Exception {
        String table = tableWithManyCommits("compacted", true);
        Path log = Path.of(table, "_delta_log");
        long latest = COMMITS - 1;
        String early = String.format("%020d.%020d.compacted.json", 1, 3);
        String straddling = String.format("%020d.%020d.compacted.json", latest - 2, latest);
        compact(log, 1, 3, early);
        compact(log, latest - 2, latest, straddling);
        LogFiles.age(log, Duration.ofDays(5).toMillis());

        JobCli.Run run = JobCli.run("checkpoint", "--table", table);

        assertThat(run.exitCode()).as(run.stdout().toString()).isZero();
        assertThat(LogFiles.names(log)).contains(LogFiles.commit(latest))
                .doesNotContain(LogFiles.commit(latest - 2), early, straddling);
    }

    /** One-row appends only: their add actions, without commitInfo, are the reconciled actions PROTOCOL.md asks for. */
    private static void compact(Path log, long from, long to, String name) throws Exception {
        StringBuilder out = new StringBuilder();
        for (long v = from; v <= to; v++) {
            for (String line : Files.readAllLines(log.resolve(LogFiles.commit(v)))) {
                if (!line.isBlank() && !line.startsWith("{\"commitInfo\"")) {
                    out.append(line).append('\n');
                }
            }
        }
        Files.writeString(log.resolve(name), out.toString());
    }

    @Test
    void respectsATableThatTurnedExpiredLogCleanupOff() throws Exception {
        String table = tableWithManyCommits("kept", false);
        Path log = Path.of(table, "_delta_log");
        long latest = COMMITS;
        LogFiles.age(log, Duration.ofDays(5).toMillis());
        Path resultFile = tmp.resolve("result.json");

        JobCli.Run run = JobCli.run("checkpoint", "--table", table, "--result", resultFile.toString());

        assertThat(run.exitCode()).isZero();
        assertThat(LogFiles.names(log)).contains(LogFiles.commit(0), LogFiles.checkpoint(5),
                LogFiles.checkpoint(latest));
        JsonNode details = run.result().get("log");
        assertThat(details.get("expiredLogCleanup").asText()).isEqualTo("DISABLED_BY_TABLE");
        assertThat(details.get("objectsDeleted").asLong()).isZero();
        assertThat(details.get("checkpointVersion").asLong()).isEqualTo(latest);
        assertThat(details.get("note").asText()).startsWith("delta.enableExpiredLogCleanup=false on the table");
        assertThat(JobCli.parse(Files.readString(resultFile))).isEqualTo(run.result());
    }

    @Test
    void deletesNothingWhileTheLogIsYoungerThanItsRetention() {
        String table = tableWithManyCommits("young", true);
        Path log = Path.of(table, "_delta_log");

        JobCli.Run run = JobCli.run("checkpoint", "--table", table);

        assertThat(run.exitCode()).isZero();
        assertThat(LogFiles.names(log)).contains(LogFiles.commit(0), LogFiles.checkpoint(COMMITS - 1));
        assertThat(run.result().at("/log/checkpointVersion").asLong()).isEqualTo(COMMITS - 1);
        assertThat(run.result().at("/log/objectsDeleted").asLong()).isZero();
        assertThat(run.result().at("/log/objectsAfter").asLong())
                .isGreaterThan(run.result().at("/log/objectsBefore").asLong()); // the new checkpoint
        assertThat(run.result().at("/log/note").asText()).startsWith("no log file had expired");
    }
}
