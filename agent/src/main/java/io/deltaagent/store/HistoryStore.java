package io.deltaagent.store;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import io.deltaagent.error.DeltaAgentException;
import io.deltaagent.error.Redaction;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The history database itself: opened (an embedded file checked first), migrated by Flyway (with Quartz's schema) when
 * it opens, its connections (one per call, or the daemon's pool), its metrics and the embedded file's high-water mark of
 * runs. Embedded H2 by default, PostgreSQL by JDBC URL. What is stored in it has a store of its own over the same
 * connections: the runs ({@link #runs}), audit samples ({@link AuditSampleStore}), sessions ({@link SessionStore}) and
 * the daemon's claims ({@link ActionClaims}). A command's store ({@link #open}) connects per
 * call; the daemon's ({@link #openPooled}) keeps a pool that holds an embedded database open. Close it when done.
 */
public final class HistoryStore implements AutoCloseable {

    /** How long a command's call waits for an embedded database another agent process is using at that moment. */
    static final Duration IN_USE_WAIT = Duration.ofSeconds(10);

    private final DataSource dataSource;
    private final HikariDataSource pool;
    private final String jdbcUrl;
    private final Optional<RunsHighWaterMark> mark;
    private final RunStore runs;

    private HistoryStore(DataSource dataSource, HikariDataSource pool, String jdbcUrl) {
        this.dataSource = dataSource;
        this.pool = pool;
        this.jdbcUrl = jdbcUrl;
        this.mark = RunsHighWaterMark.of(jdbcUrl);
        this.runs = new RunStore(new Jdbc(dataSource), mark);
    }

    /**
     * Opens (and migrates) the store at {@code jdbcUrl} for a command that records in it: a connection per call, so an
     * embedded database is free between calls for other agent processes (parallel maintain tasks on one worker); a call
     * that finds it in use waits up to 10 s. Credentials come from the environment, never the URL in config. An embedded
     * file is checked first and refused as it is when damaged, short of runs, or not writable ({@link EmbeddedHistoryFile}).
     *
     * @throws StoppedDuringMigration when SIGTERM or SIGINT came while the schema migrated (it was finished first)
     */
    public static HistoryStore open(String jdbcUrl, String user, String password) {
        return open(jdbcUrl, user, password, true);
    }

    /** As {@link #open}, for a command that only reads: a read-only embedded file is fine (e.g. a backup looked into). */
    public static HistoryStore openForReading(String jdbcUrl, String user, String password) {
        return open(jdbcUrl, user, password, false);
    }

    private static HistoryStore open(String jdbcUrl, String user, String password, boolean writes) {
        checkFile(jdbcUrl, user, password, writes);
        return migrated(new PerCallDataSource(JdbcUrls.effective(jdbcUrl), user, password, IN_USE_WAIT), null,
                jdbcUrl);
    }

    /**
     * Opens (and migrates) the store for the daemon: a pool of at most {@code maxConnections}, which holds an embedded
     * database open until the store closes (other processes are refused meanwhile, and told where to look instead).
     */
    public static HistoryStore openPooled(String jdbcUrl, String user, String password, int maxConnections) {
        checkFile(jdbcUrl, user, password, true);
        HikariDataSource pool;
        try {
            pool = ConnectionPool.open(jdbcUrl, user, password, maxConnections);
        } catch (RuntimeException e) {
            throw failure(jdbcUrl, "cannot connect", e);
        }
        return migrated(pool, pool, jdbcUrl);
    }

    /**
     * Refuses an embedded history file a command could not record in (its directory not writable, the file read-only,
     * damaged or short of runs), reading it read-only if at all: for a command to check before it does any work.
     *
     * @throws DeltaAgentException naming the file or directory and the way out
     */
    public static void checkRecordable(String jdbcUrl, String user, String password) {
        checkFile(jdbcUrl, user, password, true);
    }

    /** Refuses an embedded file before H2 opens it for writing (which would write a fresh schema over a damaged one). */
    private static void checkFile(String jdbcUrl, String user, String password, boolean writes) {
        EmbeddedHistoryFile.of(jdbcUrl).ifPresent(file -> {
            file.checkAccess(writes);
            file.checkIntact(jdbcUrl, user, password, RunsHighWaterMark.of(jdbcUrl));
        });
    }

    private static HistoryStore migrated(DataSource ds, HikariDataSource pool, String jdbcUrl) {
        try {
            try (Connection probe = ds.getConnection()) {
                probe.isValid(5);
            } catch (SQLException e) {
                throw failure(jdbcUrl, "cannot connect", e);
            }
            try {
                SchemaMigration.migrate(ds, jdbcUrl);
            } catch (DeltaAgentException e) {
                throw e;
            } catch (RuntimeException e) {
                throw failure(jdbcUrl, "cannot migrate the schema", e);
            }
        } catch (DeltaAgentException e) {
            if (pool != null) {
                pool.close();
            }
            throw e;
        }
        HistoryStore store = new HistoryStore(ds, pool, jdbcUrl);
        try {
            store.mark.ifPresent(m -> m.check(store.runs.maxRunId(), redact(jdbcUrl)));
        } catch (DeltaAgentException e) {
            store.close();
            throw e;
        }
        return store;
    }

    private static DeltaAgentException failure(String jdbcUrl, String what, Exception e) {
        if (EmbeddedH2.is(jdbcUrl) && sqlErrorCode(e) == EmbeddedH2.DATABASE_IN_USE) {
            return new DeltaAgentException("history database " + redact(jdbcUrl) + " is in use by another process (an "
                    + "embedded database is held by one process at a time, e.g. a running daemon): read the history through "
                    + "that daemon's /api/history, stop it first, or share a PostgreSQL database", e);
        }
        return new DeltaAgentException("history database " + redact(jdbcUrl) + ": " + what + ": " + rootMessage(e), e);
    }

    /**
     * Publishes a pooled store's gauges and timers to {@code registry} (HikariCP's own: {@code hikaricp_connections_*}
     * tagged {@code pool="delta-agent-history"}): waits for a connection and timeouts show a database in trouble.
     */
    public void publishMetrics(MeterRegistry registry) {
        if (pool != null) {
            pool.setMetricsTrackerFactory(new MicrometerMetricsTrackerFactory(registry));
        }
    }

    /** Closes a pooled store's connections (and an embedded database with them); a command's holds none between calls. */
    @Override
    public void close() {
        if (pool != null) {
            pool.close();
        }
    }

    /** Connections to this database, for the daemon's scheduler (Quartz's job store lives in the same database). */
    public DataSource dataSource() {
        return dataSource;
    }

    /** True for PostgreSQL, the database several daemons can share. */
    public boolean isPostgres() {
        return jdbcUrl.startsWith("jdbc:postgresql:");
    }

    /** The JDBC URL with any password masked, for messages. */
    public String describe() {
        return redact(jdbcUrl);
    }

    /** Checks the database answers, for readiness. */
    public boolean reachable() {
        try (Connection c = dataSource.getConnection()) {
            return c.isValid(5);
        } catch (SQLException e) {
            return false;
        }
    }

    /** The maintenance runs recorded in this database. */
    public RunStore runs() {
        return runs;
    }

    static String redact(String jdbcUrl) {
        return Redaction.redact(jdbcUrl);
    }

    private static int sqlErrorCode(Throwable e) {
        for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
            if (t instanceof SQLException sql) {
                return sql.getErrorCode();
            }
        }
        return 0;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : SqlErrors.message(t);
    }
}
