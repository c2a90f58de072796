package io.deltaagent.cli;

import io.deltaagent.config.Durations;
import java.time.Duration;
import picocli.CommandLine;

/** Parses durations as the config does: 500ms, 10s, 5m, 2h, 7d. */
final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
        try {
            return Durations.parse(value);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException(e.getMessage());
        }
    }
}
