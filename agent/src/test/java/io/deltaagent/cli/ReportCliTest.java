package io.deltaagent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.deltaagent.cost.CostEstimate;
import io.deltaagent.maintain.RunRows;
import io.deltaagent.plan.PlanCheck;
import io.deltaagent.store.AuditSample;
import io.deltaagent.store.AuditSampleStore;
import io.deltaagent.store.HistoryStore;
import io.deltaagent.store.RunState;
import io.deltaagent.testing.CliRun;
import io.deltaagent.testing.HistoryDb;
import io.deltaagent.testing.TestRuns;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code report} over a real history database (H2, migrated by Flyway) holding runs, their checks and cost estimates,
 * and audit samples: the sums per table and for the fleet, the window, the tables still due, and the three formats.
 */
class ReportCliTest {

    @TempDir
    Path tmp;

    private String db;
    private final Instant now = Instant.now();

    @BeforeEach
    void history() {
        db = HistoryDb.h2(tmp);
        try (HistoryStore store = HistoryStore.open(db, "sa", "")) {
            // events: two compactions (one 10 days ago, outside the default week), one failure; then healthy
            run(store, "/lake/events", now.minus(Duration.ofDays(10)), RunState.SUCCEEDED, 500, 5_000_000L, 5_000_000L, "0.9000");
            run(store, "/lake/events", now.minus(Duration.ofDays(2)), RunState.SUCCEEDED, 150, 300_000L, 200_000L, "0.1200");
            run(store, "/lake/events", now.minus(Duration.ofDays(1)), RunState.FAILED, 0, 0L, 100L, null);
            // orders <&>: no run, still due
            new AuditSampleStore(store).record(List.of(
                    sample("/lake/events", now.minus(Duration.ofDays(3)), "MAINTENANCE_DUE", 150L, 3400L, "min-small-files -> OPTIMIZE"),
                    sample("/lake/events", now.minus(Duration.ofHours(2)), "HEALTHY", 3L, 280L, null),
                    sample("/lake/orders<&>", now.minus(Duration.ofHours(1)), "MAINTENANCE_DUE", 900L, 9000L,
                            "min-small-files -> OPTIMIZE; max-commits-since-checkpoint -> CHECKPOINT")));
        }
    }

    private static void run(HistoryStore store, String table, Instant at, RunState state, long files, long bytes, long smallBytes,
                            String cost) {
        long id = TestRuns.submitted(store, table, "OPTIMIZE", "{}", "local", "local[2]", 1, at, "{}");
        store.runs().planned(id, 1, 1, RunRows.row(PlanCheck.planned(new io.deltaagent.plan.Expectation(files, bytes, 1, smallBytes, 1, 0))));
        store.runs().finished(id, state, at, at.plusSeconds(60), null, null, state == RunState.SUCCEEDED ? 2L : null, null);
        if (state == RunState.SUCCEEDED) {
            store.runs().checked(id, new io.deltaagent.store.RunCheck(files, bytes, 1, smallBytes, 1, files, bytes, 1L, bytes / 2, 1L,
                    (double) bytes / smallBytes, null));
        }
        if (cost != null) {
            store.runs().cost(id, new io.deltaagent.store.RunCost(new BigDecimal(cost), "USD", "test"));
        }
    }

    private static AuditSample sample(String table, Instant at, String status, Long files, Long latency, String due) {
        return new AuditSample(table, at, AuditSample.RAW, status, 1L, files, files * 1000, files, 1L, 3L, latency, "projected",
                null, due);
    }

    @Test
    void theWeekPerTableAndForTheFleet() throws Exception {
        CliRun run = CliRun.of("report", "--history-db", db, "--format", "json");
        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode r = run.json().get("report");
        assertThat(r.get("tables").asInt()).isEqualTo(2);
        assertThat(r.get("actions").asInt()).as("the run of 10 days ago is outside the week").isEqualTo(2);
        assertThat(r.get("succeeded").asInt()).isEqualTo(1);
        assertThat(r.get("failed").asInt()).isEqualTo(1);
        assertThat(r.get("filesRewritten").asLong()).isEqualTo(150);
        assertThat(r.get("bytesRewritten").asLong()).isEqualTo(300_000);
        assertThat(r.get("writeAmplification").asDouble()).isEqualTo(1.5);
        assertThat(r.get("cost").get(0).get("amount").decimalValue()).isEqualByComparingTo("0.12");
        assertThat(r.get("dueTables")).hasSize(1);
        assertThat(r.get("dueTables").get(0).asText())
                .isEqualTo("/lake/orders<&>: min-small-files -> OPTIMIZE; max-commits-since-checkpoint -> CHECKPOINT");
        JsonNode events = r.get("perTable").get(0);
        assertThat(events.get("table").asText()).isEqualTo("/lake/events");
        assertThat(events.get("status").asText()).isEqualTo("HEALTHY");
        assertThat(events.get("filesBefore").asLong()).isEqualTo(150);
        assertThat(events.get("filesAfter").asLong()).isEqualTo(3);
        assertThat(events.get("logReadMillisBefore").asLong()).isEqualTo(3400);
        assertThat(events.get("logReadMillisAfter").asLong()).isEqualTo(280);

        JsonNode month = CliRun.of("report", "--history-db", db, "--since", "30d", "--format", "json").json().get("report");
        assertThat(month.get("actions").asInt()).isEqualTo(3);
        assertThat(month.get("filesRewritten").asLong()).isEqualTo(650);
        assertThat(month.get("cost").get(0).get("amount").decimalValue()).isEqualByComparingTo("1.02");

        JsonNode one = CliRun.of("report", "--history-db", db, "--format", "json", "/lake/events").json().get("report");
        assertThat(one.get("tables").asInt()).isEqualTo(1);
        assertThat(one.get("dueTables")).isEmpty();
    }

    @Test
    void textAndHtmlSayTheSameAndHtmlEscapesEverything() {
        CliRun text = CliRun.of("report", "--history-db", db);
        assertThat(text.exitCode()).isZero();
        assertThat(text.out()).contains("fleet: 2 table(s); 2 action(s): 1 succeeded, 1 failed; 150 files (293 KiB) compacted; "
                + "write amplification 1.50x; estimated cost ~0.1200 USD")
                .contains("still due:").contains("/lake/orders<&>: min-small-files -> OPTIMIZE")
                .containsPattern("/lake/events\\s+HEALTHY\\s+2\\s+1\\s+150");

        CliRun html = CliRun.of("report", "--history-db", db, "--format", "html");
        assertThat(html.exitCode()).isZero();
        assertThat(html.out()).startsWith("<!DOCTYPE html>").contains("/lake/orders&lt;&amp;&gt;")
                .doesNotContain("orders<&>").doesNotContain("<script");

        CliRun bad = CliRun.of("report", "--history-db", db, "--since", "-1d");
        assertThat(bad.exitCode()).isEqualTo(ExitCode.USAGE);
    }
}
