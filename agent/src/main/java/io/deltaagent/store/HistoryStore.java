package io.deltaagent.store;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import io.deltaagent.error.DeltaAgentException;
import io.deltaagent.error.Redaction;
import io.deltaagent.plan.PlanCheck;
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
 * The history database: one row per maintenance run (see V1__maintenance_run.sql). The schema is migrated by Flyway
 * when the store opens; embedded H2 by default, PostgreSQL by JDBC URL. A command's store ({@link #open}) connects per
 * call; the daemon's ({@link #openPooled}) keeps a pool that holds an embedded database open. Close it when done.
 */
public final class HistoryStore implements AutoCloseable {

    /** How long a command's call waits for an embedded database another agent process is using at that moment. */
    static final Duration IN_USE_WAIT = Duration.ofSeconds(10);

    private final DataSource dataSource;
    private final HikariDataSource pool;
    private final String jdbcUrl;
    private final Optional<RunsHighWaterMark> mark;

    private HistoryStore(DataSource dataSource, HikariDataSource pool, String jdbcUrl) {
        this.dataSource = dataSource;
        this.pool = pool;
        this.jdbcUrl = jdbcUrl;
        this.mark = RunsHighWaterMark.of(jdbcUrl);
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
            store.mark.ifPresent(m -> m.check(store.maxRunId(), redact(jdbcUrl)));
        } catch (DeltaAgentException e) {
            store.close();
            throw e;
        }
        return store;
    }

    private long maxRunId() {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT COALESCE(MAX(id), 0) FROM maintenance_run");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw failure(jdbcUrl, "cannot read the newest run", e);
        }
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

    /** The run with {@code id}. */
    public Optional<RunRecord> run(long id) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT * FROM maintenance_run WHERE id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(row(rs)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new DeltaAgentException("cannot read maintenance run " + id + ": " + SqlErrors.message(e), e);
        }
    }

    /** Marks a submitted run as started on its backend. */
    public void running(long id, Instant startedAt) {
        String sql = "UPDATE maintenance_run SET state = ?, started_at = ? WHERE id = ? AND state IN (?, ?)";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, RunState.RUNNING.name());
            ps.setTimestamp(2, Timestamp.from(startedAt));
            ps.setLong(3, id);
            ps.setString(4, RunState.SUBMITTED.name());
            ps.setString(5, RunState.RUNNING.name());
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new DeltaAgentException("cannot record maintenance run " + id + " as running: " + SqlErrors.message(e), e);
        }
    }

    /** Records a submitted run and returns its id. */
    public long submitted(String table, String action, String plannedAction, String backend, String clusterSpec,
                          long tableVersionBefore, Instant submittedAt, String healthBefore) {
        return submitted(table, action, plannedAction, backend, clusterSpec, tableVersionBefore, submittedAt, healthBefore,
                null, null);
    }

    /**
     * Records a submitted run with the backend's handle of its job (so a restarted agent finds the job again
     * instead of submitting it twice) and the daemon that owns it.
     */
    public long submitted(String table, String action, String plannedAction, String backend, String clusterSpec,
                          long tableVersionBefore, Instant submittedAt, String healthBefore, String jobHandle, String owner) {
        return submitted(new NewRun(table, null, action, plannedAction, backend, clusterSpec, tableVersionBefore, submittedAt,
                healthBefore, jobHandle, owner, false, null));
    }

    /** Records a run about to be submitted and returns its id. */
    public long submitted(NewRun run) {
        String sql = "INSERT INTO maintenance_run (table_path, action, planned_action, backend, cluster_spec, table_version_before, "
                + "submitted_at, state, health_before, job_handle, owner, table_id, forced, commit_tag) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(sql, new String[] {"id"})) {
            ps.setString(1, run.table());
            ps.setString(2, run.action());
            ps.setString(3, run.plannedAction());
            ps.setString(4, run.backend());
            ps.setString(5, run.clusterSpec());
            ps.setLong(6, run.tableVersionBefore());
            ps.setTimestamp(7, Timestamp.from(run.submittedAt()));
            ps.setString(8, RunState.SUBMITTED.name());
            ps.setString(9, run.healthBefore());
            ps.setString(10, run.jobHandle());
            ps.setString(11, run.owner());
            ps.setString(12, run.tableId());
            ps.setBoolean(13, run.forced());
            ps.setString(14, run.commitTag());
            ps.executeUpdate();
            long id;
            try (ResultSet keys = ps.getGeneratedKeys()) {
                keys.next();
                id = keys.getLong(1);
            }
            mark.ifPresent(m -> m.raise(id));
            return id;
        } catch (SQLException e) {
            throw new DeltaAgentException(run.table() + ": cannot record the submitted " + run.action() + " run: " + SqlErrors.message(e), e);
        }
    }

    /**
     * Records how a run ended: its state, times, the job's result, the health after and the commit it made. A run moves
     * to a final state once: when it already has one (reconciled by another process meanwhile) nothing changes and this
     * returns false.
     */
    public boolean finished(long id, RunState state, Instant startedAt, Instant endedAt, String jobResult, String healthAfter,
                            Long commitVersion, String error) {
        if (!state.finished()) {
            throw new IllegalArgumentException(state + " is not a final state");
        }
        String sql = "UPDATE maintenance_run SET state = ?, started_at = ?, ended_at = ?, job_result = ?, health_after = ?, "
                + "commit_version = ?, error = ? WHERE id = ? AND state IN ('SUBMITTED', 'RUNNING')";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, state.name());
            ps.setTimestamp(2, startedAt == null ? null : Timestamp.from(startedAt));
            ps.setTimestamp(3, Timestamp.from(endedAt));
            ps.setString(4, jobResult);
            ps.setString(5, healthAfter);
            if (commitVersion == null) {
                ps.setNull(6, Types.BIGINT);
            } else {
                ps.setLong(6, commitVersion);
            }
            ps.setString(7, error);
            ps.setLong(8, id);
            if (ps.executeUpdate() == 1) {
                return true;
            }
        } catch (SQLException e) {
            throw new DeltaAgentException("cannot record the end of maintenance run " + id + ": " + SqlErrors.message(e), e);
        }
        if (run(id).isEmpty()) {
            throw new DeltaAgentException("maintenance run " + id + " does not exist");
        }
        return false;
    }

    /** Records which unit of its action a run is and what it is expected to do (before its job starts). */
    public void planned(long id, int unit, int units, PlanCheck planned) {
        String sql = "UPDATE maintenance_run SET unit_index = ?, unit_count = ?, planned_files_rewritten = ?, "
                + "planned_bytes_rewritten = ?, planned_files_written = ?, planned_small_file_bytes = ?, planned_files_after = ? "
                + "WHERE id = ?";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setInt(1, unit);
            ps.setInt(2, units);
            ps.setLong(3, planned.plannedFilesRewritten());
            ps.setLong(4, planned.plannedBytesRewritten());
            ps.setLong(5, planned.plannedFilesWritten());
            ps.setLong(6, planned.plannedSmallFileBytes());
            ps.setLong(7, planned.plannedFilesAfter());
            ps.setLong(8, id);
            if (ps.executeUpdate() != 1) {
                throw new DeltaAgentException("maintenance run " + id + " does not exist");
            }
        } catch (SQLException e) {
            throw new DeltaAgentException("cannot record the plan of maintenance run " + id + ": " + SqlErrors.message(e), e);
        }
    }

    /** Records what a finished run did beside its prediction, and whether it deviated. */
    public void checked(long id, PlanCheck check) {
        String sql = "UPDATE maintenance_run SET actual_files_rewritten = ?, actual_bytes_rewritten = ?, actual_files_written = ?, "
                + "actual_bytes_written = ?, files_after = ?, write_amplification = ?, deviation = ? WHERE id = ?";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            setLong(ps, 1, check.filesRewritten());
            setLong(ps, 2, check.bytesRewritten());
            setLong(ps, 3, check.filesWritten());
            setLong(ps, 4, check.bytesWritten());
            setLong(ps, 5, check.filesAfter());
            if (check.writeAmplification() == null) {
                ps.setNull(6, Types.DOUBLE);
            } else {
                ps.setDouble(6, check.writeAmplification());
            }
            ps.setString(7, check.deviation());
            ps.setLong(8, id);
            if (ps.executeUpdate() != 1) {
                throw new DeltaAgentException("maintenance run " + id + " does not exist");
            }
        } catch (SQLException e) {
            throw new DeltaAgentException("cannot record the outcome check of maintenance run " + id + ": " + SqlErrors.message(e), e);
        }
    }

    static void setLong(PreparedStatement ps, int index, Long value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.BIGINT);
        } else {
            ps.setLong(index, value);
        }
    }

    /** Records the commitInfo of the commit run {@code id} produced, as read back from the table's log. */
    public void commitInfo(long id, String commitInfo) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("UPDATE maintenance_run SET commit_info = ? WHERE id = ?")) {
            ps.setString(1, commitInfo);
            ps.setLong(2, id);
            if (ps.executeUpdate() != 1) {
                throw new DeltaAgentException("maintenance run " + id + " does not exist");
            }
        } catch (SQLException e) {
            throw new DeltaAgentException("cannot record the commit of maintenance run " + id + ": " + SqlErrors.message(e), e);
        }
    }

    /** Records what asked the agent to stop ({@code SIGTERM}) while run {@code id}'s job was in flight. */
    public void stoppedBy(long id, String reason) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("UPDATE maintenance_run SET stopped_by = ? WHERE id = ?")) {
            ps.setString(1, reason.length() > 100 ? reason.substring(0, 100) : reason);
            ps.setLong(2, id);
            if (ps.executeUpdate() != 1) {
                throw new DeltaAgentException("maintenance run " + id + " does not exist");
            }
        } catch (SQLException e) {
            throw new DeltaAgentException("cannot record what stopped maintenance run " + id + ": " + e.getMessage(), e);
        }
    }

    /** Records the backend's page for run {@code id}'s job (a Databricks run page), as soon as the backend names it. */
    public void runUrl(long id, String url) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("UPDATE maintenance_run SET run_url = ? WHERE id = ?")) {
            ps.setString(1, url);
            ps.setLong(2, id);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new DeltaAgentException("cannot record the page of maintenance run " + id + ": " + SqlErrors.message(e), e);
        }
    }

    /** Records run {@code id}'s estimated compute cost. */
    public void cost(long id, io.deltaagent.cost.CostEstimate cost) {
        String sql = "UPDATE maintenance_run SET cost_amount = ?, cost_currency = ?, cost_basis = ? WHERE id = ?";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setBigDecimal(1, cost.amount());
            ps.setString(2, cost.currency());
            ps.setString(3, cost.basis());
            ps.setLong(4, id);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new DeltaAgentException("cannot record the cost of maintenance run " + id + ": " + SqlErrors.message(e), e);
        }
    }

    /** Run {@code id}'s estimated compute cost, or empty when it has none (no prices configured, or not ended). */
    public Optional<io.deltaagent.cost.CostEstimate> cost(long id) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "SELECT cost_amount, cost_currency, cost_basis FROM maintenance_run WHERE id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getBigDecimal(1) != null
                        ? Optional.of(new io.deltaagent.cost.CostEstimate(rs.getBigDecimal(1), rs.getString(2), rs.getString(3)))
                        : Optional.empty();
            }
        } catch (SQLException e) {
            throw new DeltaAgentException("cannot read the cost of maintenance run " + id + ": " + SqlErrors.message(e), e);
        }
    }

    /** The commitInfo recorded for run {@code id}, or empty. */
    public Optional<String> commitInfo(long id) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT commit_info FROM maintenance_run WHERE id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new DeltaAgentException("cannot read the commit of maintenance run " + id + ": " + SqlErrors.message(e), e);
        }
    }

    /** The newest runs first, of one table or (table null) of all. */
    public List<RunRecord> history(String table, int limit) {
        return query(table == null ? "" : " WHERE table_path = ?", limit, table == null ? new String[0] : new String[] {table});
    }

    /** The runs submitted at or after {@code since}, oldest first (for reports). */
    public List<RunRecord> runsSince(Instant since) {
        return oldestFirst(query(" WHERE submitted_at >= ?", Integer.MAX_VALUE, Timestamp.from(since)));
    }

    /** The newest run of {@code action} on {@code table}, for cooldowns and the no-progress guard. */
    public Optional<RunRecord> lastRun(String table, String action) {
        return query(" WHERE table_path = ? AND action = ?", 1, table, action).stream().findFirst();
    }

    /** Runs not yet in a final state (SUBMITTED, RUNNING), oldest first: what reconciliation settles. */
    public List<RunRecord> unfinished() {
        return oldestFirst(query(" WHERE state IN ('SUBMITTED', 'RUNNING')", Integer.MAX_VALUE));
    }

    private static List<RunRecord> oldestFirst(List<RunRecord> newestFirst) {
        List<RunRecord> out = new ArrayList<>(newestFirst);
        java.util.Collections.reverse(out);
        return out;
    }

    /** Runs matching {@code where} (its ? bound to {@code params}: strings, timestamps), newest first. */
    private List<RunRecord> query(String where, int limit, Object... params) {
        String sql = "SELECT * FROM maintenance_run" + where + " ORDER BY submitted_at DESC, id DESC";
        List<RunRecord> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            ps.setMaxRows(limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(row(rs));
                }
            }
        } catch (SQLException e) {
            throw new DeltaAgentException("cannot read the maintenance history: " + SqlErrors.message(e), e);
        }
        return out;
    }

    private static RunRecord row(ResultSet rs) throws SQLException {
        Long commitVersion = longOrNull(rs, "commit_version");
        return new RunRecord(rs.getLong("id"), rs.getString("table_path"), rs.getString("action"),
                rs.getString("planned_action"), rs.getString("backend"), rs.getString("cluster_spec"),
                rs.getLong("table_version_before"), instant(rs, "submitted_at"), instant(rs, "started_at"),
                instant(rs, "ended_at"), RunState.valueOf(rs.getString("state")), rs.getString("job_result"),
                rs.getString("health_before"), rs.getString("health_after"), commitVersion, rs.getString("error"),
                rs.getString("job_handle"), rs.getString("owner"), Math.max(1, rs.getInt("unit_index")),
                Math.max(1, rs.getInt("unit_count")), check(rs), rs.getString("table_id"), rs.getBoolean("forced"),
                rs.getString("commit_tag"), rs.getString("stopped_by"));
    }

    private static PlanCheck check(ResultSet rs) throws SQLException {
        Long planned = longOrNull(rs, "planned_files_rewritten");
        if (planned == null) {
            return null;
        }
        double amplification = rs.getDouble("write_amplification");
        Double writeAmplification = rs.wasNull() ? null : amplification;
        return new PlanCheck(planned, rs.getLong("planned_bytes_rewritten"), rs.getLong("planned_files_written"),
                rs.getLong("planned_small_file_bytes"), rs.getLong("planned_files_after"), longOrNull(rs, "actual_files_rewritten"),
                longOrNull(rs, "actual_bytes_rewritten"), longOrNull(rs, "actual_files_written"),
                longOrNull(rs, "actual_bytes_written"), longOrNull(rs, "files_after"), writeAmplification, rs.getString("deviation"));
    }

    static Long longOrNull(ResultSet rs, String column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : value;
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
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
