package io.deltaagent.maintain;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.delta.standalone.DeltaLog;
import io.delta.standalone.Operation;
import io.delta.standalone.OptimisticTransaction;
import io.delta.standalone.actions.Action;
import io.delta.standalone.actions.AddFile;
import io.delta.standalone.actions.Metadata;
import io.delta.standalone.actions.RemoveFile;
import io.delta.standalone.types.LongType;
import io.delta.standalone.types.StructField;
import io.delta.standalone.types.StructType;
import io.deltaagent.cli.ExitCode;
import io.deltaagent.testing.CliRun;
import io.deltaagent.testing.HistoryDb;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * VACUUM is due on what it can delete: tombstones older than the retention, not already covered by the last VACUUM.
 * Tables written by Delta Standalone with chosen deletion times; the VACUUM itself is a real Spark job.
 */
class VacuumBreachTest {

    @TempDir
    Path tmp;

    @Test
    void dueOnlyForRemovalsOlderThanTheRetentionAndASuccessfulVacuumClearsItsOwnBreach() throws Exception {
        Path table = tmp.resolve("t");
        long now = System.currentTimeMillis();
        write(table, Map.of(), List.of(now - Duration.ofDays(10).toMillis(), now - Duration.ofHours(1).toMillis()), 4, 2);
        Path config = config(3);

        JsonNode tombstones = audit(config, table).get("tombstones");
        assertThat(tombstones.get("count").asLong()).isEqualTo(6);
        assertThat(tombstones.get("vacuumableCount").asLong()).as("only the 4 removed 10 days ago").isEqualTo(4);
        assertThat(tombstones.get("vacuumableBytes").asLong()).isEqualTo(4 * 1000 + 0 + 1 + 2 + 3);
        assertThat(tombstones.get("retention").asText()).isEqualTo("7d");
        assertThat(tombstones.get("coveredBefore").isNull()).isTrue();
        assertThat(CliRun.of("plan", "--config", config(5).toString(), table.toString()).out())
                .as("6 tombstones, but only 4 VACUUM could delete: below 5").contains("nothing to do");

        CliRun run = CliRun.of("maintain", "--config", config.toString(), "--history-db", HistoryDb.h2(tmp, "h"),
                "--format", "json", "--local-heap", "1g", table.toString());

        assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(ExitCode.HEALTHY);
        JsonNode result = run.json().get("tables").get(0);
        assertThat(result.get("status").asText()).as("the VACUUM leaves no breach of its own standing").isEqualTo("HEALED");
        assertThat(result.get("actions")).singleElement().satisfies(a -> {
            assertThat(a.get("action").asText()).isEqualTo("VACUUM");
            assertThat(a.get("state").asText()).isEqualTo("SUCCEEDED");
            assertThat(a.get("check").get("plannedFilesRewritten").asLong()).isEqualTo(4);
        });
        JsonNode after = audit(config, table).get("tombstones");
        assertThat(after.get("count").asLong()).as("the log still tracks them until a checkpoint drops them").isEqualTo(6);
        assertThat(after.get("vacuumableCount").asLong()).isZero();
        assertThat(after.get("coveredBefore").isNull()).isFalse();
        CliRun again = CliRun.of("maintain", "--config", config.toString(), "--history-db", HistoryDb.h2(tmp, "h"),
                table.toString());
        assertThat(again.exitCode()).as(again.out()).isEqualTo(ExitCode.HEALTHY);
        assertThat(again.out()).contains(": HEALTHY");
    }

    @Test
    void theTablesLongerRetentionWins() throws Exception {
        Path table = tmp.resolve("t");
        long now = System.currentTimeMillis();
        write(table, Map.of("delta.deletedFileRetentionDuration", "interval 30 days"),
                List.of(now - Duration.ofDays(40).toMillis(), now - Duration.ofDays(10).toMillis()), 3, 3);
        JsonNode tombstones = audit(config(3), table).get("tombstones");
        assertThat(tombstones.get("retention").asText()).isEqualTo("30d");
        assertThat(tombstones.get("vacuumableCount").asLong()).as("10 days is inside the table's 30").isEqualTo(3);
        JsonNode plan = CliRun.of("plan", "--format", "json", "--config", config(3).toString(), table.toString()).json()
                .get("tables").get(0).get("plan").get("actions").get(0);
        assertThat(plan.get("action").asText()).isEqualTo("VACUUM");
        assertThat(plan.get("vacuumRetention").asDouble()).as("seconds: the job refuses less than the table's own")
                .isEqualTo(Duration.ofDays(30).toSeconds());
    }

    private Path config(int minTombstones) throws Exception {
        Path config = tmp.resolve("agent-" + minTombstones + ".yaml");
        Files.writeString(config, "defaults:\n  vacuum-enabled: true\n  vacuum-min-tombstones: " + minTombstones + "\n"
                + "  min-small-files: 1000\n  max-log-read-latency: 1h\n  max-commits-since-checkpoint: 100\n");
        return config;
    }

    private static JsonNode audit(Path config, Path table) {
        CliRun run = CliRun.of("audit", "--config", config.toString(), "--format", "json", table.toString());
        return run.json().get("tables").get(0).get("health");
    }

    /** 10 files of 1000, 1001, ... bytes; then one commit per deletion time removing the next {@code removed[i]} files. */
    private static void write(Path table, Map<String, String> properties, List<Long> deletionTimes, int... removed) {
        DeltaLog log = DeltaLog.forTable(new Configuration(), table.toString());
        OptimisticTransaction txn = log.startTransaction();
        txn.updateMetadata(Metadata.builder().schema(new StructType(new StructField[] {new StructField("id", new LongType())}))
                .configuration(properties).build());
        List<AddFile> adds = new ArrayList<>();
        long now = System.currentTimeMillis();
        for (int f = 0; f < 10; f++) {
            adds.add(new AddFile("part-" + f + ".parquet", Map.of(), 1000 + f, now, true, null, null));
        }
        txn.commit(adds, new Operation(Operation.Name.WRITE), "delta-agent-tests");
        int next = 0;
        for (int i = 0; i < deletionTimes.size(); i++) {
            List<Action> removes = new ArrayList<>();
            for (int r = 0; r < removed[i]; r++, next++) {
                AddFile a = adds.get(next);
                removes.add(new RemoveFile(a.getPath(), Optional.of(deletionTimes.get(i)), true, false, Map.of(),
                        Optional.of(a.getSize()), null));
            }
            log.startTransaction().commit(removes, new Operation(Operation.Name.DELETE), "delta-agent-tests");
        }
    }
}
