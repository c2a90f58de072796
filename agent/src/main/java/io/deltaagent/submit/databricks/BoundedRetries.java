package io.deltaagent.submit.databricks;

import com.databricks.sdk.core.DatabricksError;
import com.databricks.sdk.core.http.Request;
import com.databricks.sdk.core.retry.IdempotentRequestRetryStrategy;
import com.databricks.sdk.core.retry.NonIdempotentRequestRetryStrategy;
import com.databricks.sdk.core.retry.RetryStrategy;
import com.databricks.sdk.core.retry.RetryStrategyPicker;
import com.databricks.sdk.core.utils.Timer;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * How the SDK retries this backend's calls. The SDK's {@code ApiClient} makes at most 4 attempts, waiting
 * Retry-After when the server sends it and otherwise 1 s, 2 s, 4 s (plus jitter). Two things are changed:
 * <ul>
 *   <li><b>Which calls.</b> The SDK treats every Jobs call as non-idempotent and so retries only 429, 501, 503
 *   and refused connections. Ours are all safe to repeat: runs/submit carries the idempotency token (a repeat
 *   returns the same run), runs/get and fs/files are reads and runs/cancel of a cancelled run is a no-op. They
 *   get the SDK's idempotent strategy, which also retries other 5xx and lost responses (never 400-416).</li>
 *   <li><b>How long.</b> Retry-After is honoured but not unbounded: a call whose waits would add up past the
 *   budget fails at once with {@link BudgetExhausted} (reported retryable, for the caller's circuit breaker).
 *   Every wait is at least 1 s, so a {@code Retry-After: 0} or a date in the past never becomes a storm (the SDK
 *   would hand {@code Thread.sleep} a negative value for the latter).</li>
 * </ul>
 * Budgets are per call and per thread: {@link #startCall()} resets them.
 */
final class BoundedRetries implements RetryStrategyPicker, Timer {

    static final long MIN_WAIT_MILLIS = 1_000;
    private static final Pattern OUR_CALLS = Pattern.compile("/api/2\\.[0-9]/(jobs/runs/(submit|get|cancel)|fs/files/)");
    private static final RetryStrategy IDEMPOTENT = new IdempotentRequestRetryStrategy();
    private static final RetryStrategy OTHER = new NonIdempotentRequestRetryStrategy();

    private final long budgetMillis;
    private final ThreadLocal<Call> call = ThreadLocal.withInitial(Call::new);

    BoundedRetries(Duration budget) {
        this.budgetMillis = budget.toMillis();
    }

    void startCall() {
        call.set(new Call());
    }

    /** Milliseconds the current call spent waiting between attempts. */
    long waitedMillis() {
        return call.get().waited;
    }

    @Override
    public RetryStrategy getRetryStrategy(Request request) {
        RetryStrategy strategy = OUR_CALLS.matcher(request.getUrl()).find() ? IDEMPOTENT : OTHER;
        return error -> {
            boolean retry = strategy.isRetriable(error);
            if (retry) {
                call.get().lastError = error;
            }
            return retry;
        };
    }

    @Override
    public void sleep(long millis) throws InterruptedException {
        Call current = call.get();
        long wait = Math.max(millis, MIN_WAIT_MILLIS);
        if (current.waited + wait > budgetMillis) {
            throw new BudgetExhausted(wait, current.waited, budgetMillis, current.lastError);
        }
        Thread.sleep(wait);
        current.waited += wait;
    }

    @Override
    public long getCurrentTime() {
        return System.currentTimeMillis();
    }

    private static final class Call {
        long waited;
        DatabricksError lastError;
    }

    /** A retry would have waited past the budget; thrown through the SDK, which lets it pass. */
    static final class BudgetExhausted extends RuntimeException {
        final long wantedMillis;
        final long waitedMillis;
        final long budgetMillis;
        final transient DatabricksError lastError;

        BudgetExhausted(long wantedMillis, long waitedMillis, long budgetMillis, DatabricksError lastError) {
            super("retry budget exhausted", null, false, false);
            this.wantedMillis = wantedMillis;
            this.waitedMillis = waitedMillis;
            this.budgetMillis = budgetMillis;
            this.lastError = lastError;
        }
    }
}
