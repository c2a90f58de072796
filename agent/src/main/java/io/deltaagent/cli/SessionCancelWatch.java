package io.deltaagent.cli;

import io.deltaagent.error.DeltaAgentException;
import io.deltaagent.maintain.StopRequest;
import io.deltaagent.store.SessionStore;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A session's process watching the history database for {@code session ID --cancel} from any host: a cancel found there
 * stops the maintain as SIGTERM does (the job in flight cancelled and recorded, exit 143).
 */
final class SessionCancelWatch implements AutoCloseable {

    static final Duration EVERY = Duration.ofSeconds(Long.getLong("deltaagent.session.cancelPollSeconds", 5));
    static final String REASON = "session cancel";
    private static final Logger LOG = LoggerFactory.getLogger(SessionCancelWatch.class);

    private final ScheduledExecutorService timer;

    private SessionCancelWatch(ScheduledExecutorService timer) {
        this.timer = timer;
    }

    /** Watches session {@code id} (none when null) and requests {@code stop} once it is cancelled. */
    static SessionCancelWatch start(SessionStore sessions, String id, StopRequest stop) {
        if (sessions == null || id == null) {
            return new SessionCancelWatch(null);
        }
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "session-cancel-watch");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(() -> {
            try {
                if (!stop.requested() && sessions.cancelRequested(id)) {
                    LOG.warn("maintain session {} was cancelled: stopping", id);
                    stop.request(REASON);
                }
            } catch (DeltaAgentException e) {
                LOG.warn("cannot check whether maintain session {} was cancelled (will retry): {}", id, e.getMessage());
            }
        }, 0, EVERY.toMillis(), TimeUnit.MILLISECONDS);
        return new SessionCancelWatch(timer);
    }

    @Override
    public void close() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }
}
