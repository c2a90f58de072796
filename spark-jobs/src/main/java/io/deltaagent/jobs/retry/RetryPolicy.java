package io.deltaagent.jobs.retry;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * How often and how patiently to retry an attempt that lost a commit race.
 *
 * <p>The wait before attempt {@code n} (n >= 2) is {@code min(maxBackoff, baseBackoff * 2^(n-2))}, of which
 * the upper half is random ("equal jitter"): two jobs that collided once are unlikely to collide again.
 *
 * @param maxAttempts total attempts including the first, 1..100
 * @param baseBackoff wait before the second attempt (before jitter), 0..10 min
 * @param maxBackoff cap on any one wait, >= baseBackoff
 */
public record RetryPolicy(int maxAttempts, Duration baseBackoff, Duration maxBackoff) {
    public static final int DEFAULT_MAX_ATTEMPTS = 3;
    public static final Duration DEFAULT_BASE_BACKOFF = Duration.ofSeconds(2);
    public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(60);

    public RetryPolicy {
        requireNonNull(baseBackoff, "baseBackoff");
        requireNonNull(maxBackoff, "maxBackoff");
        if (maxAttempts < 1 || maxAttempts > 100) {
            throw new IllegalArgumentException("maxAttempts must be between 1 and 100, got " + maxAttempts);
        }
        if (baseBackoff.isNegative() || baseBackoff.compareTo(Duration.ofMinutes(10)) > 0) {
            throw new IllegalArgumentException("baseBackoff must be between 0 and 10 minutes, got " + baseBackoff);
        }
        if (maxBackoff.compareTo(baseBackoff) < 0) {
            throw new IllegalArgumentException("maxBackoff must be >= baseBackoff");
        }
    }

    public static RetryPolicy defaults() {
        return new RetryPolicy(DEFAULT_MAX_ATTEMPTS, DEFAULT_BASE_BACKOFF, DEFAULT_MAX_BACKOFF);
    }

    /**
     * The wait before {@code attempt} (2 for the first retry).
     *
     * @param random a uniform value in [0, 1) that picks the jitter
     */
    public Duration backoffBefore(int attempt, double random) {
        if (attempt < 2) {
            throw new IllegalArgumentException("the first attempt has no backoff");
        }
        if (random < 0 || random >= 1) {
            throw new IllegalArgumentException("random must be in [0, 1), got " + random);
        }
        long base = baseBackoff.toMillis();
        int doublings = Math.min(attempt - 2, 30);
        long exponential = base > (Long.MAX_VALUE >> doublings) ? Long.MAX_VALUE : base << doublings;
        long capped = Math.min(exponential, maxBackoff.toMillis());
        long half = capped / 2;
        return Duration.ofMillis(capped - half + (long) (random * (half + 1)));
    }
}
