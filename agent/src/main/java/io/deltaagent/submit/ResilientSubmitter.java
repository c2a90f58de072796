package io.deltaagent.submit;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.core.functions.CheckedSupplier;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wraps a backend in a circuit breaker and retries (resilience4j). Only backend failures count
 * ({@link BackendException}: the API unreachable, erroring, refusing); a job that ran and failed is an outcome,
 * not a backend failure, and is neither retried here nor counted. Retryable failures are retried with exponential
 * backoff and jitter; after {@code failureThreshold} consecutive failures the breaker opens and every submit to that
 * backend fails at once until {@code openDuration} has passed, then one trial call decides whether it closes.
 */
public class ResilientSubmitter implements JobSubmitter {

    private static final Logger LOG = LoggerFactory.getLogger(ResilientSubmitter.class);

    /** The numbers the resilience: section sets. */
    public record Policy(int failureThreshold, Duration openDuration, int maxAttempts, Duration backoff, Duration maxBackoff) {
        public static final Policy DEFAULT = new Policy(5, Duration.ofSeconds(120), 3, Duration.ofSeconds(10), Duration.ofMinutes(5));
    }

    private final JobSubmitter backend;
    private final CircuitBreaker breaker;
    private final Retry retry;

    /** The wrapper for {@code backend}: resumable (a later process can follow its jobs) when the backend is. */
    public static ResilientSubmitter wrap(JobSubmitter backend, Policy policy) {
        return backend instanceof ResumableJobSubmitter resumable ? new Resumable(resumable, policy) : new ResilientSubmitter(backend, policy);
    }

    public ResilientSubmitter(JobSubmitter backend, Policy policy) {
        this.backend = backend;
        this.breaker = CircuitBreaker.of(backend.backend(), CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(policy.failureThreshold())
                .minimumNumberOfCalls(policy.failureThreshold())
                .failureRateThreshold(100f) // every call in the window failed: N consecutive failures
                .waitDurationInOpenState(policy.openDuration())
                .permittedNumberOfCallsInHalfOpenState(1)
                .recordExceptions(BackendException.class)
                .build());
        this.retry = Retry.of(backend.backend(), RetryConfig.custom()
                .maxAttempts(policy.maxAttempts())
                .intervalFunction(IntervalFunction.ofExponentialRandomBackoff(policy.backoff(), 2.0, 0.5, policy.maxBackoff()))
                .retryOnException(e -> e instanceof BackendException b && b.retryable())
                .failAfterMaxAttempts(false)
                .build());
        breaker.getEventPublisher().onStateTransition(e ->
                LOG.warn("{} backend: circuit breaker {}", backend.backend(), e.getStateTransition()));
        retry.getEventPublisher().onRetry(e -> LOG.warn("{} backend: attempt {} failed ({}); next in {}", backend.backend(),
                e.getNumberOfRetryAttempts(), e.getLastThrowable().getMessage(), e.getWaitInterval()));
    }

    @Override
    public String backend() {
        return backend.backend();
    }

    @Override
    public SparkRuntime sparkRuntime() {
        return backend.sparkRuntime();
    }

    @Override
    public String clusterSpec(JobSpec spec) {
        return backend.clusterSpec(spec);
    }

    /** The breaker's state, for metrics and health endpoints: CLOSED, OPEN, HALF_OPEN. */
    public CircuitBreaker.State circuitState() {
        return breaker.getState();
    }

    @Override
    public JobOutcome run(JobSpec spec, Duration timeout) throws InterruptedException {
        Deadline deadline = Deadline.in(timeout);
        return guarded(spec, () -> backend.run(spec, deadline.remaining()));
    }

    /**
     * One job timeout for all of a job's attempts: a retry after a failure that came late (a backend that stopped
     * answering while the job ran) gets what is left of it, not the whole timeout again. At least a second, so a retry
     * can still find a job that ended meanwhile and read its result.
     */
    record Deadline(long atNanos) {
        static Deadline in(Duration timeout) {
            return new Deadline(System.nanoTime() + timeout.toNanos());
        }

        Duration remaining() {
            long left = atNanos - System.nanoTime();
            return Duration.ofNanos(Math.max(left, Duration.ofSeconds(1).toNanos()));
        }
    }

    /** Runs {@code call} through the breaker and the retries. */
    protected JobOutcome guarded(JobSpec spec, CheckedSupplier<JobOutcome> call) throws InterruptedException {
        CheckedSupplier<JobOutcome> guarded = CircuitBreaker.decorateCheckedSupplier(breaker, call);
        try {
            return Retry.decorateCheckedSupplier(retry, guarded).get();
        } catch (CallNotPermittedException e) {
            throw new BackendException(backend.backend() + " backend: circuit breaker open after repeated failures; not submitting "
                    + spec.action() + " for " + spec.table() + " (it lets a trial through after the open duration)", false, e);
        } catch (InterruptedException | RuntimeException e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(backend.backend() + " backend: unexpected " + e, e);
        }
    }

    /** A resumable backend keeps its handles through the wrapper; following a job again is not a submit and is not retried. */
    static final class Resumable extends ResilientSubmitter implements ResumableJobSubmitter {

        private final ResumableJobSubmitter backend;

        Resumable(ResumableJobSubmitter backend, Policy policy) {
            super(backend, policy);
            this.backend = backend;
        }

        @Override
        public String prepare(JobSpec spec) {
            return backend.prepare(spec);
        }

        @Override
        public JobOutcome run(JobSpec spec, Duration timeout) throws InterruptedException {
            return super.run(spec, timeout);
        }

        @Override
        public JobOutcome run(JobSpec spec, String handle, Duration timeout) throws InterruptedException {
            Deadline deadline = Deadline.in(timeout);
            return guarded(spec, () -> backend.run(spec, handle, deadline.remaining()));
        }

        @Override
        public JobOutcome resume(String handle, Duration timeout) throws InterruptedException {
            return backend.resume(handle, timeout);
        }

        @Override
        public java.util.Optional<JobOutcome> poll(String handle) {
            return backend.poll(handle);
        }
    }
}
