package io.deltaagent.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltaagent.config.ReaderChoice;
import io.deltaagent.config.TableSettings;
import io.deltaagent.deltalog.ReadThresholds;
import io.deltaagent.health.SmallFileRule;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The settings as the readers' plain thresholds: every reader choice, the property-dependent rules, equality. */
@Tag("fast")
class SettingsThresholdsTest {

    @Test
    void everyReaderChoiceOfTheConfigIsALibraryOfTheReaders() {
        for (ReaderChoice choice : ReaderChoice.values()) {
            assertThat(SettingsThresholds.of(TableSettings.defaults().withReader(choice)).library().name())
                    .isEqualTo(choice.name());
        }
    }

    @Test
    void theNumbersAndTheRulesAreTheSettings() {
        TableSettings settings = TableSettings.defaults();
        ReadThresholds t = SettingsThresholds.of(settings);

        assertThat(t.historyDepth()).isEqualTo(settings.historyDepth());
        assertThat(t.minSmallFiles()).isEqualTo(settings.minSmallFiles());
        assertThat(t.worstPartitions()).isEqualTo(settings.worstPartitions());
        assertThat(t.rules().smallFiles(Map.of()).thresholds()).containsExactly(64L << 20);
        assertThat(t.rules().smallFiles(Map.of("delta.targetFileSize", "32MiB")).thresholds()).containsExactly(16L << 20);
        assertThat(t.rules().vacuumRetention(Map.of())).isEqualTo(new ReadThresholds.Retention(Duration.ofDays(7), "7d"));
        assertThat(t.rules().vacuumRetention(Map.of("delta.deletedFileRetentionDuration", "interval 30 days")))
                .isEqualTo(new ReadThresholds.Retention(Duration.ofDays(30), "30d"));
    }

    @Test
    void equalSettingsGiveEqualThresholdsSoAReauditKeepsItsBaseline() {
        assertThat(SettingsThresholds.of(TableSettings.defaults())).isEqualTo(SettingsThresholds.of(TableSettings.defaults()));
        assertThat(SettingsThresholds.of(TableSettings.defaults().withReader(ReaderChoice.KERNEL)))
                .isNotEqualTo(SettingsThresholds.of(TableSettings.defaults()));
    }

    @Test
    void smallFileStepsApplyFromTheirTableSize() {
        SmallFileRule steps = SmallFileRule.steps(new long[] {64, 128}, new long[] {0, 1000});
        assertThat(steps.choose(999)).isZero();
        assertThat(steps.choose(1000)).isEqualTo(1);
        assertThat(SmallFileRule.fixed(10).choose(Long.MAX_VALUE)).isZero();
    }
}
