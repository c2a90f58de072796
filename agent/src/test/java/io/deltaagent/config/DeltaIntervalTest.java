package io.deltaagent.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeltaIntervalTest {

    @Test
    void readsDeltasIntervalPropertiesAsTheirWritersSetThem() {
        assertThat(DeltaInterval.parse("interval 7 days")).contains(Duration.ofDays(7));
        assertThat(DeltaInterval.parse("INTERVAL 1 WEEK")).contains(Duration.ofDays(7));
        assertThat(DeltaInterval.parse("interval 36 hours")).contains(Duration.ofHours(36));
        assertThat(DeltaInterval.parse("30 days")).contains(Duration.ofDays(30));
        assertThat(DeltaInterval.parse("interval 90 minutes")).contains(Duration.ofMinutes(90));
        assertThat(DeltaInterval.parse("interval 1 day 2 hours")).as("several units: left to Delta").isEmpty();
        assertThat(DeltaInterval.parse("soon")).isEmpty();
        assertThat(DeltaInterval.parse(null)).isEmpty();
        assertThat(DeltaInterval.parse("interval 999999999999 weeks")).as("held at the longest duration the agent computes with, "
                + "not shortened: in milliseconds it would overflow a long").contains(Durations.MAX);
        assertThat(DeltaInterval.parse("interval 999999999999 weeks").orElseThrow().toMillis()).isPositive();
    }

    @Test
    void vacuumKeepsTheLongerOfTheConfiguredAndTheTablesRetention() {
        TableSettings d = TableSettings.defaults();
        assertThat(d.effectiveVacuumRetention(Map.of())).isEqualTo(Duration.ofDays(7));
        assertThat(d.effectiveVacuumRetention(Map.of("delta.deletedFileRetentionDuration", "interval 30 days")))
                .isEqualTo(Duration.ofDays(30));
        assertThat(d.effectiveVacuumRetention(Map.of("delta.deletedFileRetentionDuration", "interval 1 days")))
                .as("never below vacuum-retention").isEqualTo(Duration.ofDays(7));
    }
}
