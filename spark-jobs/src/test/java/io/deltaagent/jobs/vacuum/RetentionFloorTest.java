package io.deltaagent.jobs.vacuum;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deltaagent.jobs.error.InvalidInputException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetentionFloorTest {
    @Test
    void theFloorIsSevenDaysOrTheTablesRetentionWhicheverIsLonger() {
        assertThat(RetentionFloor.floor(Duration.ofDays(1))).isEqualTo(Duration.ofDays(7));
        assertThat(RetentionFloor.floor(Duration.ofDays(7))).isEqualTo(Duration.ofDays(7));
        assertThat(RetentionFloor.floor(Duration.ofDays(30))).isEqualTo(Duration.ofDays(30));
    }

    @Test
    void refusesBelowTheFloorAndSaysHowToMoveIt() {
        assertThatThrownBy(() -> RetentionFloor.check("s3a://lake/events", Duration.ofDays(10), "240h",
                Duration.ofDays(30), false))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("s3a://lake/events: refusing to vacuum with --retain 240h: the floor is 30d (the larger "
                        + "of 7d and the table's delta.deletedFileRetentionDuration=30d). A shorter retention can "
                        + "delete files that readers, writers and time travel still need. Use --retain 30d or more, "
                        + "change the table's delta.deletedFileRetentionDuration (the floor never goes below 7d), or "
                        + "pass --unsafe-allow-retention-below-floor if you accept that risk.");
        assertThatThrownBy(() -> RetentionFloor.check("t", Duration.ofHours(167), "167h", Duration.ofDays(1), false))
                .hasMessageContaining("the floor is 7d");
    }

    @Test
    void acceptsTheFloorItselfAndAnythingWithTheUnsafeFlag() {
        assertThat(RetentionFloor.check("t", Duration.ofHours(168), "168h", Duration.ofDays(7), false))
                .isEqualTo(Duration.ofDays(7));
        assertThat(RetentionFloor.check("t", Duration.ZERO, "0h", Duration.ofDays(7), true))
                .isEqualTo(Duration.ofDays(7));
    }
}
