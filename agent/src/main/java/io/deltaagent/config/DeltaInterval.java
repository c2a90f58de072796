package io.deltaagent.config;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Delta's interval table properties ({@code delta.deletedFileRetentionDuration = 'interval 7 days'}): a whole number and
 * one unit, {@code interval} optional, units singular or plural, as Delta's own writers set them.
 */
public final class DeltaInterval {

    private static final Pattern FORMAT = Pattern.compile(
            "(?:interval\\s+)?(\\d{1,12})\\s*(week|day|hour|minute|second|millisecond)s?");

    private DeltaInterval() {
    }

    /** The duration, or empty for a value in another form (Delta then applies its own parsing; the agent its default). */
    public static Optional<Duration> parse(String value) {
        if (value == null) {
            return Optional.empty();
        }
        Matcher m = FORMAT.matcher(value.strip().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            return Optional.empty();
        }
        long n = Long.parseLong(m.group(1));
        Duration d = switch (m.group(2)) {
            case "week" -> Duration.ofDays(7 * n);
            case "day" -> Duration.ofDays(n);
            case "hour" -> Duration.ofHours(n);
            case "minute" -> Duration.ofMinutes(n);
            case "second" -> Duration.ofSeconds(n);
            default -> Duration.ofMillis(n);
        };
        // held at the longest duration the agent computes with (a retention of a million weeks is in milliseconds beyond
        // a long): longer than any table lives, so a retention is never shortened by it
        return Optional.of(d.compareTo(Durations.MAX) > 0 ? Durations.MAX : d);
    }
}
