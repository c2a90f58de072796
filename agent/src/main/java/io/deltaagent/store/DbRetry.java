package io.deltaagent.store;

import io.deltaagent.error.DeltaAgentException;
import java.time.Duration;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retries a history-database call through a short outage (a restart, a failover): the outcome of a job
 * that ran for an hour is not dropped because the database was away for a minute. Gives up after
 * {@code patience} and rethrows the last error.
 */
public final class DbRetry {

    private static final Logger LOG = LoggerFactory.getLogger(DbRetry.class);

    private final Duration patience;
    private final Duration firstPause;

    public DbRetry(Duration patience, Duration firstPause) {
        this.patience = patience;
        this.firstPause = firstPause;
    }

    public <T> T call(Supplier<T> call, String what) throws InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        long pause = firstPause.toMillis();
        while (true) {
            try {
                return call.get();
            } catch (DeltaAgentException e) {
                if (System.nanoTime() + pause * 1_000_000 > deadline) {
                    throw e;
                }
                LOG.warn("{}: the history database failed ({}); retrying in {} ms", what, e.getMessage(), pause);
                Thread.sleep(pause);
                pause = Math.min(pause * 2, 30_000);
            }
        }
    }

    public void run(Runnable call, String what) throws InterruptedException {
        call(() -> {
            call.run();
            return null;
        }, what);
    }
}
