package io.deltaagent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.deltaagent.testing.CliRun;
import io.deltaagent.testing.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlanCliTest {

    @TempDir
    Path tmp;

    @Test
    void plansShowActionsInOrderWithWhereAndReasons() throws Exception {
        Path config = tmp.resolve("agent.yaml");
        Files.writeString(config, "defaults:\n  hot-partition-window: 0s\n  max-commits-since-checkpoint: 3\n");
        CliRun run = CliRun.of("plan", "--config", config.toString(), Fixtures.table("spark_partitioned_checkpoints").toString());
        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCode.MAINTENANCE_DUE);
        assertThat(run.out()).contains("(version 24): 2 action(s)")
                .contains("1. CHECKPOINT")
                .contains("2. OPTIMIZE WHERE `date` IN ('2024-01-01', '2024-01-02', '2024-01-03')")
                .contains("because min-small-files: 3 of 3 partitions hold at least 50 small files")
                .contains("expect  150 files");
    }

    @Test
    void unitsAndTheSizesTheJobGetsAreShown() throws Exception {
        Path config = tmp.resolve("agent.yaml");
        Files.writeString(config, "defaults:\n  hot-partition-window: 0s\n  max-partitions-per-job: 2\n  target-file-size: 2MiB\n");
        Path table = Fixtures.table("spark_partitioned_checkpoints");
        CliRun run = CliRun.of("plan", "--config", config.toString(), table.toString());
        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCode.MAINTENANCE_DUE);
        assertThat(run.out()).contains("(version 24): 2 action(s)")
                .contains("1. OPTIMIZE (unit 1 of 2) WHERE `date` IN ('2024-01-01', '2024-01-02')")
                .contains("2. OPTIMIZE (unit 2 of 2) WHERE `date` IN ('2024-01-03')")
                .contains("sizes   only files below 1 MiB are rewritten, into files of up to 2 MiB");
        JsonNode action = CliRun.of("plan", "--format", "json", "--config", config.toString(), table.toString()).json()
                .get("tables").get(0).get("plan").get("actions").get(1);
        assertThat(action.get("unit").asInt()).isEqualTo(2);
        assertThat(action.get("units").asInt()).isEqualTo(2);
        assertThat(action.get("sizes").get("minFileSize").asLong()).isEqualTo(1L << 20);
        assertThat(action.get("sizes").get("maxFileSize").asLong()).isEqualTo(2L << 20);
        assertThat(action.get("expected").get("filesRewritten").asLong()).isEqualTo(50);
    }

    @Test
    void jsonPlanAndHotPartitionNote() throws Exception {
        Path config = tmp.resolve("agent.yaml");
        Files.writeString(config, "defaults:\n  hot-partition-window: 3650d\n");
        CliRun run = CliRun.of("plan", "--format", "json", "--config", config.toString(),
                Fixtures.table("spark_partitioned_checkpoints").toString(), tmp.resolve("missing").toString());
        assertThat(run.exitCode()).isEqualTo(ExitCode.TABLE_FAILED);
        JsonNode doc = run.json();
        assertThat(doc.get("command").asText()).isEqualTo("plan");
        JsonNode plan = doc.get("tables").get(0).get("plan");
        assertThat(plan.get("actions")).isEmpty();
        assertThat(plan.get("notes").get(0).asText()).contains("written in the last 3650d (hot-partition-window)");
        assertThat(doc.get("tables").get(1).get("error").get("kind").asText()).isEqualTo("NOT_FOUND");
    }

    @Test
    void healthyTableHasNothingToDo() {
        CliRun run = CliRun.of("plan", Fixtures.table("spark_optimized").toString());
        assertThat(run.exitCode()).isEqualTo(ExitCode.HEALTHY);
        assertThat(run.out()).contains("nothing to do");
    }
}
