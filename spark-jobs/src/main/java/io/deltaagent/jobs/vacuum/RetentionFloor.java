package io.deltaagent.jobs.vacuum;

import io.deltaagent.jobs.error.InvalidInputException;
import io.deltaagent.jobs.request.Durations;
import java.time.Duration;

/**
 * The shortest retention VACUUM may use without the unsafe flag: the larger of 7 days and the table's
 * {@code delta.deletedFileRetentionDuration}. Shorter retentions can delete files that running readers and
 * writers, streaming queries and time travel still need.
 */
public final class RetentionFloor {
    public static final Duration MINIMUM = Duration.ofDays(7);
    public static final String TABLE_PROPERTY = "delta.deletedFileRetentionDuration";
    public static final String UNSAFE_FLAG = "--unsafe-allow-retention-below-floor";

    private RetentionFloor() {
    }

    public static Duration floor(Duration tableRetention) {
        return tableRetention.compareTo(MINIMUM) > 0 ? tableRetention : MINIMUM;
    }

    /**
     * @param requestedText the retention as the user wrote it, for the message
     * @return the floor that applied
     * @throws InvalidInputException when {@code requested} is below the floor and {@code allowBelowFloor} is false
     */
    public static Duration check(String tableUri, Duration requested, String requestedText, Duration tableRetention,
            boolean allowBelowFloor) {
        Duration floor = floor(tableRetention);
        if (requested.compareTo(floor) < 0 && !allowBelowFloor) {
            throw new InvalidInputException(tableUri + ": refusing to vacuum with --retain "
                    + requestedText + ": the floor is " + Durations.format(floor) + " (the larger of "
                    + Durations.format(MINIMUM) + " and the table's " + TABLE_PROPERTY + "="
                    + Durations.format(tableRetention) + "). A shorter retention can delete files that readers, "
                    + "writers and time travel still need. Use --retain " + Durations.format(floor)
                    + " or more, change the table's " + TABLE_PROPERTY + " (the floor never goes below "
                    + Durations.format(MINIMUM) + "), or pass " + UNSAFE_FLAG + " if you accept that risk.");
        }
        return floor;
    }
}
