package io.deltaagent.daemon;

import io.deltaagent.store.RunRecord;
import io.deltaagent.store.RunState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A table whose maintenance keeps failing is left alone for a while, doubling with each consecutive
 * failure up to a ceiling: it neither hogs job slots nor hammers a broken backend. Read from the history, so
 * it survives restarts and holds across daemons.
 */
public final class FailureBackoff {

    private final Duration base;
    private final Duration max;

    public FailureBackoff(Duration base, Duration max) {
        this.base = base;
        this.max = max;
    }

    /** Consecutive failed (or timed-out) runs, newest first, before the last success. */
    public static int consecutiveFailures(List<RunRecord> newestFirst) {
        int n = 0;
        for (RunRecord r : newestFirst) {
            if (r.state() == RunState.FAILED || r.state() == RunState.TIMED_OUT) {
                n++;
            } else if (r.state() == RunState.SUCCEEDED) {
                break;
            }
        }
        return n;
    }

    /** Until when the table is backed off, given its runs newest first; empty when it is not. */
    public Optional<Instant> until(List<RunRecord> newestFirst, Instant now) {
        int failures = consecutiveFailures(newestFirst);
        if (failures == 0) {
            return Optional.empty();
        }
        RunRecord last = newestFirst.stream().filter(r -> r.state() == RunState.FAILED || r.state() == RunState.TIMED_OUT)
                .findFirst().orElseThrow();
        Instant since = last.endedAt() != null ? last.endedAt() : last.submittedAt();
        Duration wait = base.multipliedBy(1L << Math.min(failures - 1, 30));
        if (wait.compareTo(max) > 0 || wait.isNegative()) {
            wait = max;
        }
        Instant until = since.plus(wait);
        return until.isAfter(now) ? Optional.of(until) : Optional.empty();
    }
}
