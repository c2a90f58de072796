package io.deltaagent.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltaagent.testing.PrometheusText;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Tables that leave the config or their root leave the daemon's state, and their gauges leave /metrics. */
@Tag("fast")
class TableStatesTest {

    private static final Instant T0 = Instant.parse("2026-12-04T10:00:00Z");

    private static TableState state(String table, String schedule, Instant at) {
        return new TableState(table, schedule, at, "HEALTHY", null, List.of(), null, List.of(), null);
    }

    @Test
    void aCycleFindsTheTablesOfItsScheduleItDidNotAuditAndOnlyThose() {
        TableStates states = new TableStates();
        states.put(state("/lake/a", "fast", T0));
        states.put(state("/lake/b", "fast", T0.plusSeconds(10)));
        states.put(state("/lake/c", "slow", T0));
        assertThat(states.unseen("fast", T0.plusSeconds(5))).containsExactly("/lake/a");
        states.remove(java.util.Set.of("/lake/a"));
        assertThat(states.all()).extracting(TableState::table).containsExactly("/lake/b", "/lake/c");
    }

    @Test
    void aReloadDropsTheTablesOfSchedulesNoLongerInUse() {
        TableStates states = new TableStates();
        states.put(state("/lake/a", "fast", T0));
        states.put(state("/lake/c", "slow", T0));
        assertThat(states.retainSchedules(List.of("fast"))).containsExactly("/lake/c");
        assertThat(states.all()).extracting(TableState::table).containsExactly("/lake/a");
    }

    @Test
    void forgettingATableRemovesItsAuditGaugesAndKeepsOthers() {
        DaemonMetrics metrics = new DaemonMetrics(java.time.Clock.fixed(T0, java.time.ZoneOffset.UTC));
        for (String table : List.of("/lake/a", "/lake/b")) {
            metrics.audited(io.deltaagent.audit.AuditOutcome.failed(new io.deltaagent.error.TableReadException(table,
                    io.deltaagent.error.TableReadException.Kind.NOT_FOUND, "gone", null)));
        }
        PrometheusText before = PrometheusText.parse(metrics.scrape());
        assertThat(before.value("deltaagent_table_last_audit_attempt_timestamp_seconds", "table", "/lake/a"))
                .isEqualTo(T0.getEpochSecond());
        assertThat(before.value("deltaagent_table_last_audit_timestamp_seconds", "table", "/lake/a"))
                .as("never audited successfully").isZero();
        assertThat(before.value("deltaagent_table_maintenance_due", "table", "/lake/a")).isZero();
        metrics.forget(Set.of("/lake/a"));
        PrometheusText after = PrometheusText.parse(metrics.scrape());
        assertThat(after.find("deltaagent_table_last_audit_timestamp_seconds", "table", "/lake/a")).isEmpty();
        assertThat(after.find("deltaagent_table_last_audit_attempt_timestamp_seconds", "table", "/lake/a")).isEmpty();
        assertThat(after.find("deltaagent_table_maintenance_due", "table", "/lake/a")).isEmpty();
        assertThat(after.find("deltaagent_table_last_audit_timestamp_seconds", "table", "/lake/b")).hasSize(1);
    }
}
