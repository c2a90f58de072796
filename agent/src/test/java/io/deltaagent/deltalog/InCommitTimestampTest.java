package io.deltaagent.deltalog;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.deltaagent.cli.ExitCode;
import io.deltaagent.testing.CliRun;
import io.deltaagent.testing.Fixtures;
import io.deltaagent.testing.ProtocolCommits;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * In-commit timestamps (issue 25): on a table that enables them, commit times come from
 * {@code commitInfo.inCommitTimestamp}, so a copy of the table (every file's modification time now the copy's) has the
 * same activity as the original.
 */
class InCommitTimestampTest {

    private static final Duration H = Duration.ofHours(1);

    @TempDir
    Path tmp;

    private Instant now;
    private long enabledAt;

    /** A Spark-written table that enables in-commit timestamps 30 h ago, then commits 20 h, 2 h and 1 h ago. */
    private Path original() throws Exception {
        now = Instant.now();
        Path table = Fixtures.copy("spark_unpartitioned_nocheckpoint", tmp.resolve("original"));
        long before = ProtocolCommits.latestVersion(table);
        for (long v = 0; v <= before; v++) { // as the writer left them, all before the enablement
            touch(table, v, now.minus(H.multipliedBy(31 + before - v)));
        }
        long ict = now.minus(H.multipliedBy(30)).toEpochMilli();
        long enabled = ProtocolCommits.upgrade(table, 1, 7, List.of(), List.of("appendOnly", "invariants", "inCommitTimestamp"),
                Map.of("delta.enableInCommitTimestamps", "true",
                        "delta.inCommitTimestampEnablementVersion", Long.toString(before + 1),
                        "delta.inCommitTimestampEnablementTimestamp", Long.toString(ict)), ict);
        enabledAt = enabled;
        touch(table, enabled, Instant.ofEpochMilli(ict));
        write(table, 20, "WRITE", "ict-1.parquet");
        write(table, 2, "OPTIMIZE", null);
        write(table, 1, "WRITE", "ict-2.parquet");
        return table;
    }

    private void write(Path table, int hoursAgo, String operation, String added) {
        long ict = now.minus(H.multipliedBy(hoursAgo)).toEpochMilli();
        String info = "{\"commitInfo\":{\"inCommitTimestamp\":" + ict + ",\"timestamp\":" + (ict + 5) + ",\"operation\":\""
                + operation + "\"}}";
        long v = added == null ? ProtocolCommits.commit(table, info) : ProtocolCommits.commit(table, info,
                "{\"add\":{\"path\":\"" + added + "\",\"partitionValues\":{},\"size\":10,\"modificationTime\":" + ict
                        + ",\"dataChange\":true}}");
        touch(table, v, Instant.ofEpochMilli(ict));
    }

    private static void touch(Path table, long version, Instant when) {
        try {
            Files.setLastModifiedTime(table.resolve("_delta_log").resolve(String.format("%020d.json", version)),
                    FileTime.from(when));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** A copy as a copy tool makes it: every file's modification time is the time of the copy. */
    private Path copyOf(Path table) throws Exception {
        Path copy = tmp.resolve("copy").resolve(table.getFileName());
        Fixtures.copyTree(table, copy);
        FileTime copiedAt = FileTime.from(Instant.now());
        try (Stream<Path> files = Files.walk(copy)) {
            for (Path p : files.filter(Files::isRegularFile).toList()) {
                Files.setLastModifiedTime(p, copiedAt);
            }
        }
        return copy;
    }

    private JsonNode activity(Path table, int depth) throws Exception {
        Path config = tmp.resolve("agent-" + depth + ".yaml");
        Files.writeString(config, "defaults:\n  history-depth: " + depth + "\n");
        CliRun run = CliRun.of("audit", "--format", "json", "--config", config.toString(), table.toString());
        assertThat(run.exitCode()).as(run.out() + run.err()).isIn(ExitCode.HEALTHY, ExitCode.MAINTENANCE_DUE);
        return run.json().get("tables").get(0).get("health").get("activity");
    }

    @ParameterizedTest
    @ValueSource(ints = {200, 1})
    void aCopiedTableHasTheOriginalsActivity(int depth) throws Exception {
        Path original = original();
        Path copy = copyOf(original);

        JsonNode before = activity(original, depth);
        JsonNode after = activity(copy, depth);

        assertThat(after).as("activity of the copy").isEqualTo(before);
        assertThat(Instant.parse(after.get("lastCommitTime").asText())).isEqualTo(now.minus(H).truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
        assertThat(after.get("commitsLast24h").asLong()).as("the commits 20 h, 2 h and 1 h ago").isEqualTo(3);
        assertThat(after.get("lastWrite").get("version").asLong()).isEqualTo(enabledAt + 3);
        assertThat(Instant.parse(after.get("lastWrite").get("timestamp").asText())).as("the in-commit timestamp, not commitInfo.timestamp")
                .isEqualTo(now.minus(H).truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
        if (depth == 1) {
            assertThat(after.get("commitsRead").asLong()).as("the newest commit; the day's found by binary search").isEqualTo(1);
            assertThat(after.get("historyComplete").asBoolean()).isFalse();
        } else {
            assertThat(after.get("lastOptimize").get("version").asLong()).isEqualTo(enabledAt + 2);
            assertThat(Instant.parse(after.get("lastOptimize").get("timestamp").asText()))
                    .isEqualTo(now.minus(H.multipliedBy(2)).truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
            assertThat(after.get("filesAddedLast24h").asLong()).isEqualTo(2);
            assertThat(after.get("historyComplete").asBoolean()).isTrue();
        }
    }

    @Test
    void withoutInCommitTimestampsTimesStillComeFromTheListing() throws Exception {
        Path table = Fixtures.copy("spark_unpartitioned_nocheckpoint", tmp);
        Instant old = Instant.now().minus(Duration.ofDays(3));
        try (Stream<Path> files = Files.list(table.resolve("_delta_log"))) {
            for (Path p : files.filter(p -> p.getFileName().toString().endsWith(".json")).toList()) {
                Files.setLastModifiedTime(p, FileTime.from(old));
            }
        }
        JsonNode activity = activity(table, 200);
        assertThat(activity.get("commitsLast24h").asLong()).isZero();
        assertThat(Instant.parse(activity.get("lastCommitTime").asText())).isEqualTo(old.truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
    }
}
