package io.deltaagent.jobs.cli;

import io.deltaagent.jobs.request.Durations;
import java.time.Duration;
import picocli.CommandLine;

/** Converts {@code 168h}, {@code 7d}, {@code 30m} ... for picocli. */
public final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
        try {
            return Durations.parse(value);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException(e.getMessage());
        }
    }
}
