package io.deltaagent.maintain;

import io.deltaagent.config.Durations;
import io.deltaagent.store.HistoryStore;
import io.deltaagent.submit.JobProgress;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A run's job while it runs, told at INFO on the {@code io.deltaagent.progress} logger (stderr in the CLI, so an
 * Airflow task log shows it): the backend's id for the job and its page, each state change, and every
 * {@link #HEARTBEAT} that the job is still in its state, with the time since it started. The page is recorded with
 * the run as soon as the backend names it, for {@code session} and the API to show while the job runs.
 */
public final class RunProgress implements JobProgress, AutoCloseable {

    static final Duration HEARTBEAT = Duration.ofSeconds(Long.getLong("deltaagent.progress.heartbeatSeconds", 60));
    private static final Logger LOG = LoggerFactory.getLogger("io.deltaagent.progress");
    private static final ScheduledExecutorService TICKS = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "delta-agent-progress");
        t.setDaemon(true);
        return t;
    });

    private final long runId;
    private final String what;
    private final HistoryStore store;
    private final long startNanos = System.nanoTime();
    private volatile String jobId;
    private volatile String runUrl;
    private volatile String state = "SUBMITTED";
    private ScheduledFuture<?> heartbeat;

    /** Follows run {@code runId}; {@code what} names it in log lines ("OPTIMIZE of /data/t on databricks"). */
    RunProgress(long runId, String what, HistoryStore store) {
        this.runId = runId;
        this.what = what;
        this.store = store;
    }

    /** Starts the heartbeat; {@link #close} stops it. */
    RunProgress start() {
        LOG.info("run {}: {}: submitting", runId, what);
        long every = HEARTBEAT.toMillis();
        heartbeat = TICKS.scheduleAtFixedRate(() -> LOG.info("run {}: {} after {}", runId, state, elapsed()), every, every,
                TimeUnit.MILLISECONDS);
        return this;
    }

    @Override
    public void submitted(String id, String url) {
        boolean newId = !Objects.equals(id, jobId);
        boolean newUrl = url != null && !url.equals(runUrl);
        if (!newId && !newUrl) {
            return;
        }
        if (jobId == null) {
            try {
                store.runs().running(runId, java.time.Instant.now());
            } catch (RuntimeException e) {
                LOG.warn("run {}: cannot record it as running: {}", runId, e.getMessage());
            }
        }
        jobId = id;
        if (newUrl) {
            runUrl = url;
            try {
                store.runs().runUrl(runId, url);
            } catch (RuntimeException e) {
                LOG.warn("run {}: cannot record its page {}: {}", runId, url, e.getMessage());
            }
        }
        LOG.info("run {}: {}{}", runId, id, runUrl == null ? "" : ", " + runUrl);
    }

    @Override
    public void state(String newState) {
        if (newState != null && !newState.equals(state)) {
            state = newState;
            LOG.info("run {}: {} after {}", runId, newState, elapsed());
        }
    }

    /** The backend's page for the job, or null when it has none (yet). */
    public String runUrl() {
        return runUrl;
    }

    /** Stops the heartbeat. */
    @Override
    public void close() {
        if (heartbeat != null) {
            heartbeat.cancel(false);
        }
    }

    private String elapsed() {
        return Durations.humanMillis(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos));
    }
}
