package io.deltaagent.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deltaagent.error.DeltaAgentException;
import io.deltaagent.maintain.RunGuard;
import io.deltaagent.maintain.RunRows;
import io.deltaagent.plan.CommitMetrics;
import io.deltaagent.plan.Expectation;
import io.deltaagent.plan.PlanCheck;
import io.deltaagent.plan.PlannedAction;
import io.deltaagent.plan.RewriteSizes;
import io.deltaagent.policy.Breach;
import io.deltaagent.policy.MaintenanceAction;
import io.deltaagent.testing.TestRuns;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The history store on a real embedded H2 file database and on a real PostgreSQL server, both migrated
 * by Flyway: the same tests on each (PostgresHistoryStoreTest runs them on PostgreSQL).
 */
@Tag("fast")
class HistoryStoreTest {

    @TempDir
    Path tmp;

    HistoryStore open() {
        return HistoryStore.open("jdbc:h2:file:" + tmp.resolve("history") + ";AUTO_SERVER=FALSE", "sa", "");
    }

    @Test
    void recordsARunFromSubmitToEndAndSurvivesReopening() {
        Instant t0 = Instant.parse("2026-11-27T01:00:00Z");
        String events = "/lake/events-" + tmp.getFileName();
        String orders = "/lake/orders-" + tmp.getFileName();
        long id;
        long other;
        try (HistoryStore store = open()) {
            id = TestRuns.submitted(store, events, "OPTIMIZE", "{\"action\":\"OPTIMIZE\"}", "local", "local[2]", 24, t0,
                    "{\"files\":150}");
            store.runs().finished(id, RunState.SUCCEEDED, t0.plusSeconds(5), t0.plusSeconds(40), "{\"status\":\"SUCCEEDED\"}",
                    "{\"files\":3}", 25L, null);
            other = TestRuns.submitted(store, orders, "CHECKPOINT", "{}", "local", null, 7, t0.plusSeconds(60), "{}");
        }

        try (HistoryStore reopened = open()) {
            assertReopened(reopened, events, orders, id, other, t0);
        }
    }

    private static void assertReopened(HistoryStore reopened, String events, String orders, long id, long other, Instant t0) {
        assertThat(reopened.runs().history(null, 1000)).extracting(RunRecord::id).containsSubsequence(other, id);
        RunRecord run = reopened.runs().history(events, 10).get(0);
        assertThat(run.state()).isEqualTo(RunState.SUCCEEDED);
        assertThat(run.submittedAt()).isEqualTo(t0);
        assertThat(run.endedAt()).isEqualTo(t0.plusSeconds(40));
        assertThat(run.commitVersion()).isEqualTo(25L);
        assertThat(run.healthBefore()).isEqualTo("{\"files\":150}");
        assertThat(run.healthAfter()).isEqualTo("{\"files\":3}");
        assertThat(reopened.runs().lastRun(orders, "CHECKPOINT")).get().extracting(RunRecord::state).isEqualTo(RunState.SUBMITTED);
        assertThat(reopened.runs().lastRun(orders, "OPTIMIZE")).isEmpty();
    }

    @Test
    void predictionAndOutcomeAreStoredAndASucceededUnitStartsNoCooldown() {
        String table = "/lake/units-" + tmp.getFileName();
        Instant t0 = Instant.now().minusSeconds(600);
        PlanCheck planned = PlanCheck.planned(new Expectation(100, 200_000, 2, 200_000, 52, 1));
        PlanCheck checked = planned.judged(MaintenanceAction.OPTIMIZE, new CommitMetrics(100, 200_000, 2, 150_000), 52L, 0.2);
        Breach why = new Breach("min-small-files", 50, 50, "files", MaintenanceAction.OPTIMIZE, "50 small files");
        PlannedAction second = new PlannedAction(MaintenanceAction.OPTIMIZE, "`d` IN ('2')", List.of(), null, List.of(why),
                new Expectation(50, 100_000, 1, 100_000, 3, 2), List.of(), new RewriteSizes(64, 128, null), 2, 2);
        try (HistoryStore store = open()) {
            long id = TestRuns.submitted(store, table, "OPTIMIZE", "{}", "local", "local[2]", 24, t0, "{}");
            store.runs().planned(id, 1, 2, RunRows.row(planned));
            store.runs().finished(id, RunState.SUCCEEDED, t0, t0.plusSeconds(30), "{}", "{}", 25L, null);
            store.runs().checked(id, RunRows.row(checked));

            RunRecord run = store.runs().run(id).orElseThrow();
            assertThat(run.unit()).isEqualTo(1);
            assertThat(run.units()).isEqualTo(2);
            assertThat(run.check()).isEqualTo(RunRows.row(checked));
            assertThat(run.check().writeAmplification()).isEqualTo(1.0);
            RunGuard guard = new RunGuard(store);
            assertThat(guard.refusal(table, second, 25, Duration.ofHours(6), Instant.now()))
                    .as("unit 1 of 2 succeeded: unit 2 may follow at once").isEmpty();

            long last = TestRuns.submitted(store, table, "OPTIMIZE", "{}", "local", "local[2]", 25, t0.plusSeconds(60), "{}");
            store.runs().planned(last, 2, 2, RunRows.row(PlanCheck.planned(second.expected())));
            store.runs().finished(last, RunState.SUCCEEDED, t0.plusSeconds(60), t0.plusSeconds(90), "{}", "{}", 26L, null);
            assertThat(guard.refusal(table, second, 26, Duration.ofHours(6), Instant.now()))
                    .as("the plan ended: the cooldown holds").hasValueSatisfying(why2 -> assertThat(why2).contains("within the cooldown of 6h"));
        }
    }

    @Test
    void aRunEndsOnlyInAFinalStateAndOnlyOnce() {
        try (HistoryStore store = open()) {
            endsOnce(store);
        }
    }

    private void endsOnce(HistoryStore store) {
        long id = TestRuns.submitted(store, "/t-" + tmp.getFileName(), "VACUUM", "{}", "local", null, 1, Instant.now(), "{}");
        assertThatThrownBy(() -> store.runs().finished(id, RunState.RUNNING, null, Instant.now(), null, null, null, null))
                .hasMessageContaining("RUNNING is not a final state");
        assertThatThrownBy(() -> store.runs().finished(999_999, RunState.FAILED, null, Instant.now(), null, null, null, "x"))
                .isInstanceOf(DeltaAgentException.class).hasMessageContaining("maintenance run 999999 does not exist");
    }

    @Test
    void anUnreachableDatabaseSaysWhichAndHidesThePassword() {
        assertThatThrownBy(() -> HistoryStore.open("jdbc:postgresql://127.0.0.1:1/agent?password=hunter2", "u", "p"))
                .isInstanceOf(DeltaAgentException.class)
                .hasMessageStartingWith("history database jdbc:postgresql://127.0.0.1:1/agent?password=***: cannot connect")
                .hasMessageNotContaining("hunter2");
    }
    @Test
    void auditSamplesAreKeptThinnerWithAge() {
        String t = "/lake/trend-" + tmp.getFileName();
        Instant now = Instant.parse("2026-12-04T12:00:00Z");
        Instant day40 = Instant.parse("2026-10-25T00:00:00Z");
        Instant day10 = now.minus(Duration.ofDays(10));
        List<Instant> times = List.of(
                now.minus(Duration.ofDays(800)),                                              // beyond 2 years: gone
                day40.plus(Duration.ofHours(1)), day40.plus(Duration.ofHours(5)), day40.plus(Duration.ofHours(9)), // one day
                day10, day10.plusSeconds(600), day10.plusSeconds(1200),                         // one hour
                day10.plus(Duration.ofHours(2)),                                                 // another hour
                now.minus(Duration.ofHours(1)), now.minus(Duration.ofMinutes(15)));             // recent: all kept
        try (HistoryStore store = open()) {
            AuditSampleStore trend = new AuditSampleStore(store);
            long files = 100;
            java.util.ArrayList<AuditSample> samples = new java.util.ArrayList<>();
            for (Instant at : times) {
                samples.add(new AuditSample(t, at, AuditSample.RAW, "MAINTENANCE_DUE", files, files, files * 1000, files, 3L, 9L,
                        120L, "projected", null));
                files++;
            }
            samples.add(new AuditSample(t, now.minus(Duration.ofMinutes(5)), AuditSample.RAW, "ERROR", null, null, null, null,
                    null, null, null, null, "NOT_FOUND"));
            trend.record(samples);
            assertThat(trend.samples(t, Instant.EPOCH)).hasSize(11);

            trend.compact(now);
            List<AuditSample> kept = trend.samples(t, Instant.EPOCH);
            assertThat(kept).extracting(AuditSample::sampledAt).containsExactly(day40.plus(Duration.ofHours(9)),
                    day10.plusSeconds(1200), day10.plus(Duration.ofHours(2)), now.minus(Duration.ofHours(1)),
                    now.minus(Duration.ofMinutes(15)), now.minus(Duration.ofMinutes(5)));
            assertThat(kept).extracting(AuditSample::resolution).containsExactly("day", "hour", "hour", "raw", "raw", "raw");
            assertThat(kept.get(0).files()).as("the last sample of its day, figures intact").isEqualTo(103);
            assertThat(kept.get(5).files()).isNull();
            assertThat(kept.get(5).errorKind()).isEqualTo("NOT_FOUND");

            trend.compact(now);
            assertThat(trend.samples(t, Instant.EPOCH)).as("idempotent").isEqualTo(kept);
            assertThat(trend.samples(t, now.minus(Duration.ofDays(1)))).hasSize(3);
        }
    }
}
