package io.deltaagent.audit;

import io.deltaagent.config.AdaptiveTarget;
import io.deltaagent.config.Durations;
import io.deltaagent.config.TableSettings;
import io.deltaagent.deltalog.ReadThresholds;
import io.deltaagent.health.SmallFileRule;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;

/**
 * A table's settings as the thresholds a log reader counts against: the config decides, the readers only count. A
 * record over the settings, so that thresholds from equal settings are equal (what lets a re-audit reuse its baseline).
 */
public record SettingsThresholds(TableSettings settings) implements ReadThresholds.TableRules {

    /** The thresholds for a read of a table with {@code settings}. */
    public static ReadThresholds of(TableSettings settings) {
        return new ReadThresholds(ReadThresholds.Library.valueOf(settings.reader().name()), settings.historyDepth(),
                settings.minSmallFiles(), settings.worstPartitions(), new SettingsThresholds(settings));
    }

    @Override
    public SmallFileRule smallFiles(Map<String, String> tableProperties) {
        return settings.smallFileBytes(tableProperties).stream().mapToObj(SmallFileRule::fixed).findFirst()
                .orElseGet(() -> SmallFileRule.steps(Arrays.stream(AdaptiveTarget.targets()).map(t -> t / 2).toArray(),
                        AdaptiveTarget.fromTableBytes()));
    }

    @Override
    public ReadThresholds.Retention vacuumRetention(Map<String, String> tableProperties) {
        Duration retention = settings.effectiveVacuumRetention(tableProperties);
        return new ReadThresholds.Retention(retention, Durations.toConfigString(retention));
    }
}
