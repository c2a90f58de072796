package io.deltaagent.jobs.retry;

import java.time.Duration;

/** Waits; a seam so tests of the retry loop do not sleep. */
@FunctionalInterface
public interface Sleeper {
    Sleeper SYSTEM = duration -> Thread.sleep(duration.toMillis());

    void sleep(Duration duration) throws InterruptedException;
}
