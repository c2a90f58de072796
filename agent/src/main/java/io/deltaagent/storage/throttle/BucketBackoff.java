package io.deltaagent.storage.throttle;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.DoubleSupplier;

/**
 * One backoff per bucket, shared by every audit of the process: once the store throttles a bucket, no new read of that
 * bucket starts until the backoff ends, so eight concurrent audits stop hammering it together while other buckets go
 * on. Each further throttling before a success doubles the wait up to {@code max}; the wait is drawn from
 * [d/2, d] (jitter) so daemons and cycles do not come back in step. A read that succeeds clears the bucket.
 * Thread-safe.
 */
public final class BucketBackoff {

    /** A bucket's backoff: consecutive throttlings and when reads may start again. */
    public record State(int throttlings, Instant until) {
    }

    private final Clock clock;
    private final DoubleSupplier random;
    private final Map<String, State> buckets = new ConcurrentHashMap<>();

    /** @param random values in [0, 1) for the jitter */
    public BucketBackoff(Clock clock, DoubleSupplier random) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
    }

    public static BucketBackoff withJitter(Clock clock) {
        return new BucketBackoff(clock, () -> java.util.concurrent.ThreadLocalRandom.current().nextDouble());
    }

    /** The store throttled a read of {@code bucket}: backs it off from {@code base}, doubling per repeat, up to {@code max}. */
    public State throttled(String bucket, Duration base, Duration max) {
        Instant now = clock.instant();
        return buckets.compute(bucket, (b, old) -> {
            int n = old == null ? 1 : Math.min(old.throttlings() + 1, 62);
            long full = Math.min(max.toMillis(), base.toMillis() << Math.min(n - 1, 30));
            long wait = full / 2 + (long) (random.getAsDouble() * (full - full / 2 + 1));
            Instant until = now.plusMillis(Math.min(wait, full));
            // a throttling reported late by an audit that started earlier never shortens a longer wait
            return new State(n, old != null && old.until().isAfter(until) ? old.until() : until);
        });
    }

    /** A read of {@code bucket} went through: its backoff ends. */
    public void succeeded(String bucket) {
        buckets.remove(bucket);
    }

    /** When reads of {@code bucket} may start again, or empty when they may now. */
    public Optional<Instant> until(String bucket) {
        State s = buckets.get(bucket);
        return s == null || !s.until().isAfter(clock.instant()) ? Optional.empty() : Optional.of(s.until());
    }

    /** The state of {@code bucket}'s backoff, kept after it ends until a success clears it. */
    public Optional<State> state(String bucket) {
        return Optional.ofNullable(buckets.get(bucket));
    }
}
