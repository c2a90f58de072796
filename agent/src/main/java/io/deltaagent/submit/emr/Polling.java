package io.deltaagent.submit.emr;

import java.time.Clock;
import java.time.Instant;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.exception.SdkException;

/** The part both EMR submitters share: API calls that map failures (the waiting is {@link io.deltaagent.submit.PollLoop}'s). */
final class Polling {

    private final String backend;
    private final String settingsKey;
    private final Clock clock;

    Polling(String backend, String settingsKey, Clock clock) {
        this.backend = backend;
        this.settingsKey = settingsKey;
        this.clock = clock;
    }

    /**
     * One API call. An interrupt that aborts it surfaces as {@link InterruptedException} (the SDK reports it as an
     * {@link AbortedException}); any other failure as a {@link io.deltaagent.submit.BackendException}.
     */
    <T> T call(String doing, Supplier<T> request) throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException(backend + ": interrupted before " + doing);
        }
        try {
            return request.get();
        } catch (SdkException e) {
            // clear the flag either way: the InterruptedException carries it, and cleanup calls must still run
            boolean interrupted = Thread.interrupted();
            if (interrupted || aborted(e)) {
                throw new InterruptedException(backend + ": interrupted during " + doing);
            }
            throw AwsFailures.map(backend, doing, settingsKey, e);
        }
    }

    private static boolean aborted(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof AbortedException || t instanceof InterruptedException) {
                return true;
            }
        }
        return false;
    }

    Instant now() {
        return clock.instant();
    }

    Clock clock() {
        return clock;
    }
}
