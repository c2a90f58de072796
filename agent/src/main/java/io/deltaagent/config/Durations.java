package io.deltaagent.config;

import java.math.BigInteger;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as people write them in config: {@code 500ms}, {@code 10s}, {@code 5m}, {@code 2h}, {@code 7d}, or ISO-8601. */
public final class Durations {

    private static final Pattern FORMAT = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

    /**
     * The longest duration any setting takes: 100 years. Far beyond any real cooldown, retention or timeout, and far
     * enough below what a {@code long} of milliseconds holds that adding one to a timestamp cannot overflow.
     */
    public static final Duration MAX = Duration.ofDays(36_500);

    private Durations() {
    }

    /**
     * Parses {@code text}; throws {@link IllegalArgumentException} with the accepted forms for text that is not a
     * duration, and with the limit for a negative one or one longer than {@link #MAX}.
     */
    public static Duration parse(String text) {
        String trimmed = text.trim().toLowerCase(Locale.ROOT);
        Matcher m = FORMAT.matcher(trimmed);
        if (m.matches()) {
            long unitMillis = switch (m.group(2)) {
                case "ms" -> 1L;
                case "s" -> 1_000L;
                case "m" -> 60_000L;
                case "h" -> 3_600_000L;
                default -> 86_400_000L;
            };
            // BigInteger: digits beyond a long are a duration too long, not "not a number"
            BigInteger millis = new BigInteger(m.group(1)).multiply(BigInteger.valueOf(unitMillis));
            if (millis.compareTo(BigInteger.valueOf(MAX.toMillis())) > 0) {
                throw tooLong(text);
            }
            return Duration.ofMillis(millis.longValueExact());
        }
        Duration d;
        try {
            d = Duration.parse(text.trim().toUpperCase(Locale.ROOT));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(
                    "'" + text + "' is not a duration; write a number with a unit: 500ms, 10s, 5m, 2h, 7d");
        }
        if (d.isNegative()) {
            throw new IllegalArgumentException("'" + text + "' is negative; a duration is 0 or more");
        }
        if (d.compareTo(MAX) > 0) {
            throw tooLong(text);
        }
        return d;
    }

    private static IllegalArgumentException tooLong(String text) {
        return new IllegalArgumentException("'" + text.trim() + "' is too long; a duration is at most " + toConfigString(MAX)
                + " (100 years)");
    }

    /** Config form in the largest exact unit: {@code 7d}, {@code 90m}, {@code 1500ms}. */
    public static String toConfigString(Duration d) {
        long ms = d.toMillis();
        if (ms != 0 && ms % 86_400_000L == 0) {
            return ms / 86_400_000L + "d";
        }
        if (ms != 0 && ms % 3_600_000L == 0) {
            return ms / 3_600_000L + "h";
        }
        if (ms != 0 && ms % 60_000L == 0) {
            return ms / 60_000L + "m";
        }
        if (ms % 1000L == 0) {
            return ms / 1000L + "s";
        }
        return ms + "ms";
    }

    /** Human form for latencies: {@code 850 ms}, {@code 12.4 s}, {@code 3.2 min}. */
    public static String humanMillis(long ms) {
        if (ms < 1000) {
            return ms + " ms";
        }
        if (ms < 120_000) {
            return String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
        }
        return String.format(Locale.ROOT, "%.1f min", ms / 60_000.0);
    }
}
