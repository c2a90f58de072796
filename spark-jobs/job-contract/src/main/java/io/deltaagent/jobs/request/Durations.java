package io.deltaagent.jobs.request;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as people write them on a command line: {@code 168h}, {@code 7d}, {@code 30m}, {@code 250ms}. */
public final class Durations {
    private static final Pattern FORMAT = Pattern.compile("(\\d{1,9})\\s*(ms|s|m|h|d)");

    private Durations() {
    }

    /**
     * Parses {@code <digits><unit>} with unit one of ms, s, m, h, d.
     *
     * @throws IllegalArgumentException with a message that shows the accepted format
     */
    public static Duration parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("a duration is required, e.g. 168h, 7d or 30m");
        }
        Matcher m = FORMAT.matcher(text.strip().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a duration: use a whole number and a unit "
                    + "(ms, s, m, h, d), e.g. 168h, 7d or 30m");
        }
        long amount = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            case "d" -> Duration.ofDays(amount);
            default -> throw new IllegalStateException("unreachable unit " + m.group(2));
        };
    }

    /** The shortest exact rendering in the same notation: {@code 7d}, {@code 36h}, {@code 90s}. */
    public static String format(Duration duration) {
        long millis = duration.toMillis();
        if (millis != 0 && millis % 86_400_000L == 0) {
            return millis / 86_400_000L + "d";
        }
        if (millis != 0 && millis % 3_600_000L == 0) {
            return millis / 3_600_000L + "h";
        }
        if (millis != 0 && millis % 60_000L == 0) {
            return millis / 60_000L + "m";
        }
        if (millis % 1000L == 0) {
            return millis / 1000L + "s";
        }
        return millis + "ms";
    }

    /** Whole hours, rounded up: never shorter than {@code duration}. */
    public static long ceilHours(Duration duration) {
        long hours = duration.toHours();
        return duration.equals(Duration.ofHours(hours)) ? hours : hours + 1;
    }
}
