package io.deltaagent.jobs.retry;

import static java.util.Objects.requireNonNull;

import io.deltaagent.jobs.error.ConflictRetriesExhaustedException;
import io.deltaagent.jobs.error.JobException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.DoubleSupplier;
import java.util.function.IntFunction;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs an attempt until it succeeds, fails for a reason that is not a conflict, or has used up the policy's
 * attempts. Only failures the {@code conflict} predicate accepts are retried: those are the ones where the
 * attempt wrote nothing visible (its commit lost), so running it again from a fresh snapshot is safe.
 */
public final class Retrier {
    private static final Logger LOG = LoggerFactory.getLogger(Retrier.class);

    private final RetryPolicy policy;
    private final Predicate<Throwable> conflict;
    private final Sleeper sleeper;
    private final DoubleSupplier random;

    public Retrier(RetryPolicy policy, Predicate<Throwable> conflict, Sleeper sleeper, DoubleSupplier random) {
        this.policy = requireNonNull(policy, "policy");
        this.conflict = requireNonNull(conflict, "conflict");
        this.sleeper = requireNonNull(sleeper, "sleeper");
        this.random = requireNonNull(random, "random");
    }

    /**
     * Calls {@code attempt} with attempt numbers 1, 2, ... until it returns.
     *
     * @param subject what is being retried, for messages (the table URI)
     * @param attempts receives the number of the attempt in progress, so callers can report it on failure
     * @throws ConflictRetriesExhaustedException when every attempt ended in a conflict
     * @throws RuntimeException whatever a non-conflict failure threw, unchanged
     */
    public <T> T call(String subject, AtomicInteger attempts, IntFunction<T> attempt) {
        for (int n = 1; ; n++) {
            if (n > 1) {
                Duration wait = policy.backoffBefore(n, random.getAsDouble());
                LOG.warn("{}: attempt {} of {} in {} ms after a commit conflict", subject, n, policy.maxAttempts(),
                        wait.toMillis());
                sleep(subject, wait);
            }
            attempts.set(n);
            try {
                return attempt.apply(n);
            } catch (Exception e) { // Scala code throws checked exceptions (SparkException) undeclared
                if (!conflict.test(e)) {
                    throw Retrier.<RuntimeException>sneaky(e);
                }
                if (n >= policy.maxAttempts()) {
                    throw new ConflictRetriesExhaustedException(subject + ": gave up after " + n
                            + (n == 1 ? " attempt" : " attempts")
                            + ": every attempt lost a commit race with a concurrent writer (last: "
                            + e.getClass().getSimpleName() + ": " + firstLine(e.getMessage())
                            + "). This job committed nothing; run it again later, when writers are quieter, "
                            + "or with a higher --max-attempts.", n, e);
                }
                LOG.warn("{}: attempt {} lost a commit race: {}: {}", subject, n, e.getClass().getSimpleName(),
                        firstLine(e.getMessage()));
            }
        }
    }

    private void sleep(String subject, Duration wait) {
        try {
            sleeper.sleep(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JobException(subject + ": interrupted while waiting to retry", e);
        }
    }

    /** Rethrows {@code e} unchanged (checked or not), so callers see the class that really failed. */
    @SuppressWarnings("unchecked")
    private static <E extends Exception> E sneaky(Exception e) throws E {
        throw (E) e;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
