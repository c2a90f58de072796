package io.deltaagent.jobs.request;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {
    @Test
    void parsesTheUnitsTheCommandLineAccepts() {
        assertThat(Durations.parse("168h")).isEqualTo(Duration.ofHours(168));
        assertThat(Durations.parse("7d")).isEqualTo(Duration.ofDays(7));
        assertThat(Durations.parse("30m")).isEqualTo(Duration.ofMinutes(30));
        assertThat(Durations.parse("45s")).isEqualTo(Duration.ofSeconds(45));
        assertThat(Durations.parse("250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(Durations.parse(" 0h ")).isEqualTo(Duration.ZERO);
        assertThat(Durations.parse("7D")).isEqualTo(Duration.ofDays(7));
    }

    @Test
    void rejectsWhatItCannotReadWithTheFormatInTheMessage() {
        for (String bad : new String[] {"7", "h", "-1h", "1.5h", "7 days", "1w", ""}) {
            assertThatThrownBy(() -> Durations.parse(bad)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("is not a duration")
                    .hasMessageContaining("168h, 7d or 30m");
        }
    }

    @Test
    void formatsInTheLargestExactUnit() {
        assertThat(Durations.format(Duration.ofDays(7))).isEqualTo("7d");
        assertThat(Durations.format(Duration.ofHours(36))).isEqualTo("36h");
        assertThat(Durations.format(Duration.ofMinutes(90))).isEqualTo("90m");
        assertThat(Durations.format(Duration.ofSeconds(61))).isEqualTo("61s");
        assertThat(Durations.format(Duration.ofMillis(1500))).isEqualTo("1500ms");
        assertThat(Durations.format(Duration.ZERO)).isEqualTo("0s");
    }

    @Test
    void roundsUpToWholeHoursSoRetentionIsNeverShorterThanAsked() {
        assertThat(Durations.ceilHours(Duration.ofMinutes(30))).isEqualTo(1);
        assertThat(Durations.ceilHours(Duration.ofHours(168))).isEqualTo(168);
        assertThat(Durations.ceilHours(Duration.ofMinutes(61))).isEqualTo(2);
        assertThat(Durations.ceilHours(Duration.ZERO)).isZero();
    }
}
