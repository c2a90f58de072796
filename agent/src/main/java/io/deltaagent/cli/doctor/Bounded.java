package io.deltaagent.cli.doctor;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Runs one check within a deadline, so that a storage or catalog that accepts a connection and never answers costs the
 * checklist that long, not forever. A check that overruns is left on a daemon thread (a blocked socket read ignores
 * interrupts) and reported as a FAIL naming the deadline.
 */
public final class Bounded {

    private final Duration timeout;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "doctor-check");
        t.setDaemon(true);
        return t;
    });

    public Bounded(Duration timeout) {
        this.timeout = timeout;
    }

    /** {@code check}'s verdict; a FAIL when it throws or overruns the deadline. */
    public Check run(String name, String fixOnTimeout, Supplier<Check> check) {
        Future<Check> f = threads.submit(check::get);
        try {
            return f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            return Check.fail(name, "no answer within " + timeout.toSeconds() + " s", fixOnTimeout);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            return Check.fail(name, String.valueOf(cause.getMessage()), "see the message; run the command that failed with --verbose");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Check.fail(name, "interrupted", "run doctor again");
        }
    }

    /** The deadline, for messages. */
    public Duration timeout() {
        return timeout;
    }
}
