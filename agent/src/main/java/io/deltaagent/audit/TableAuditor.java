package io.deltaagent.audit;

import io.deltaagent.config.Durations;
import io.deltaagent.config.TableEntry;
import io.deltaagent.deltalog.DeltaLogReader;
import io.deltaagent.error.TableReadException;
import io.deltaagent.health.TableHealth;
import io.deltaagent.policy.BreachDetector;
import io.deltaagent.storage.TableLocation;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Audits one table: read its log, judge the figures. A table that cannot be read gives a failed outcome, never a throw.
 * Each audit reads on a thread of the auditor's own (reused across audits); {@link #close()} ends them.
 */
public final class TableAuditor implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TableAuditor.class);

    private final DeltaLogReader reader;
    private final BreachDetector detector;
    /** The audits' reading threads: as many as audits run at once, plus those still blocked past their timeout. */
    private final ExecutorService readers;

    public TableAuditor(DeltaLogReader reader, BreachDetector detector) {
        this.reader = Objects.requireNonNull(reader, "reader");
        this.detector = Objects.requireNonNull(detector, "detector");
        this.readers = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "audit-read");
            t.setDaemon(true); // a thread abandoned at its audit-timeout must not keep the process alive
            return t;
        });
    }

    /**
     * Reads on a thread of its own so a stalled storage cannot hold the caller past the table's audit-timeout. The
     * reading thread is interrupted and left to the storage client's own timeouts (a blocked socket read ignores
     * interrupts); the caller moves on at once.
     */
    private TableHealth readWithin(TableLocation location, TableEntry entry) {
        Duration timeout = entry.settings().auditTimeout();
        // 0 reading, 1 done, 2 abandoned at the deadline and still blocked (counted in STUCK until it ends)
        AtomicInteger state = new AtomicInteger();
        java.util.Map<String, String> logContext = org.slf4j.MDC.getCopyOfContextMap(); // the table (and run) on its lines too
        Future<TableHealth> read = readers.submit(() -> {
            try {
                if (logContext != null) {
                    org.slf4j.MDC.setContextMap(logContext);
                }
                return reader.read(location, SettingsThresholds.of(entry.settings()));
            } finally {
                org.slf4j.MDC.clear();
                if (!state.compareAndSet(0, 1)) {
                    STUCK.decrementAndGet();
                }
            }
        });
        try {
            return read.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            if (state.compareAndSet(0, 2)) {
                STUCK.incrementAndGet();
            }
            read.cancel(true);
            throw new TableReadException(entry.path(), TableReadException.Kind.TIMED_OUT, "the audit did not finish within "
                    + "its audit-timeout of " + Durations.toConfigString(timeout) + ": reading the log at " + location.display()
                    + " stalled (a storage endpoint that accepts connections but does not answer?)", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TableReadException t) {
                throw t;
            }
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            read.cancel(true);
            Thread.currentThread().interrupt();
            throw new TableReadException(entry.path(), TableReadException.Kind.TIMED_OUT, "the audit was interrupted", e);
        }
    }

    private static final AtomicInteger STUCK = new AtomicInteger();

    /** Reads past their audit-timeout whose threads are still blocked in the storage client (a gauge for the daemon). */
    public static int stuckReads() {
        return STUCK.get();
    }

    /** Ends the idle reading threads; one still blocked in the storage client past its timeout ends when the client gives up. */
    @Override
    public void close() {
        readers.shutdown();
    }

    public AuditOutcome audit(TableEntry entry) {
        try (var table = io.deltaagent.error.LogContext.table(entry.path())) {
            return auditTable(entry);
        }
    }

    private AuditOutcome auditTable(TableEntry entry) {
        TableLocation location;
        try {
            location = TableLocation.of(entry.path());
        } catch (IllegalArgumentException e) {
            return AuditOutcome.failed(new TableReadException(entry.path(), TableReadException.Kind.NOT_FOUND,
                    "not a valid path or URI: " + e.getMessage(), e));
        }
        try {
            TableHealth health = readWithin(location, entry);
            return AuditOutcome.measured(health, detector.detect(health, entry.settings()));
        } catch (TableReadException e) {
            LOG.info("{}", e.getMessage()); // the report carries it; no duplicate on stderr
            LOG.debug("{}: stack trace", entry.path(), e);
            return AuditOutcome.failed(e);
        }
    }
}
