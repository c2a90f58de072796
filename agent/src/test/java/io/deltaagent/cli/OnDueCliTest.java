package io.deltaagent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.deltaagent.testing.CliRun;
import io.deltaagent.testing.Fixtures;
import io.deltaagent.testing.HistoryDb;
import io.deltaagent.testing.TestConfigs;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scheduler contract: with {@code --format json} stdout holds exactly one line, the result document;
 * {@code --on-due} chooses the exit status of "maintenance due" and nothing else.
 */
class OnDueCliTest {

    private static final String DUE = "spark_partitioned_checkpoints";

    @TempDir
    Path tmp;

    @Test
    void onDueChoosesTheExitStatusOfADueTableAndTheDocumentSaysItIsDue() throws Exception {
        String table = Fixtures.table(DUE).toString();
        // fixtures may be minutes old: plan must not leave their partitions out as hot, nor plan a checkpoint on a slow read
        Path config = tmp.resolve("agent.yaml");
        TestConfigs.write(config);
        for (String[] choice : new String[][] {{"fail", "3"}, {"skip", "99"}, {"succeed", "0"}}) {
            CliRun run = CliRun.of("audit", "--config", config.toString(), "--format", "json", "--on-due", choice[0], table);
            int expected = Integer.parseInt(choice[1]);
            assertThat(run.exitCode()).as(choice[0] + ": " + run.err()).isEqualTo(expected);
            assertThat(run.out().lines().count()).as("one line on stdout").isEqualTo(1);
            JsonNode doc = run.json();
            assertThat(doc.get("exitCode").asInt()).isEqualTo(expected);
            assertThat(doc.get("summary").get("maintenanceDue").asInt()).isEqualTo(1);
            assertThat(doc.get("tables").get(0).get("status").asText()).isEqualTo("MAINTENANCE_DUE");
        }
        assertThat(CliRun.of("audit", "--config", config.toString(), "--format", "json", table).exitCode()).as("default")
                .isEqualTo(ExitCode.MAINTENANCE_DUE);
        assertThat(CliRun.of("plan", "--config", config.toString(), "--format", "json", "--on-due", "skip", table).exitCode())
                .isEqualTo(ExitCode.SKIP);
    }

    @Test
    void aFailureOutranksOnDueAndProgressStaysOnStderr() {
        Path missing = tmp.resolve("missing");
        CliRun run = CliRun.of("audit", "--format", "json", "--on-due", "succeed", Fixtures.table(DUE).toString(),
                missing.toString());
        assertThat(run.exitCode()).isEqualTo(ExitCode.TABLE_FAILED);
        assertThat(run.out().lines().count()).isEqualTo(1);
        assertThat(run.json().get("exitCode").asInt()).isEqualTo(ExitCode.TABLE_FAILED);
        assertThat(run.err()).contains("[1/2] auditing").contains("[2/2] auditing " + missing);
    }

    @Test
    void aHealthyTableExitsZeroWhateverOnDueSays() {
        CliRun run = CliRun.of("audit", "--format", "json", "--on-due", "skip", Fixtures.table("spark_optimized").toString());
        assertThat(run.exitCode()).isEqualTo(ExitCode.HEALTHY);
    }

    @Test
    void anUnknownChoiceIsBadUsageNamingTheChoices() {
        CliRun run = CliRun.of("audit", "--on-due", "ignore", Fixtures.table(DUE).toString());
        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(run.err()).contains("--on-due").contains("fail, skip, succeed");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void maintainReportsAFailedTableAsKindAndMessageLikeAudit() throws Exception {
        Path notDelta = Files.createDirectories(tmp.resolve("not_delta"));
        Files.writeString(notDelta.resolve("data.csv"), "a,b\n");
        CliRun run = CliRun.of("maintain", "--format", "json", "--on-due", "skip",
                "--history-db", HistoryDb.h2(tmp), notDelta.toString());
        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCode.TABLE_FAILED);
        assertThat(run.out().lines().count()).isEqualTo(1);
        JsonNode table = run.json().get("tables").get(0);
        assertThat(table.get("status").asText()).isEqualTo("FAILED");
        assertThat(table.get("error").get("kind").asText()).isEqualTo("NOT_A_DELTA_TABLE");
        assertThat(table.get("error").get("message").asText())
                .isEqualTo(notDelta + ": not a Delta table: no _delta_log directory under file:" + notDelta);
    }
}
