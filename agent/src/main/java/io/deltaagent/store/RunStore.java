package io.deltaagent.store;

import io.deltaagent.error.DeltaAgentException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * The maintenance runs of the history database (table maintenance_run, see V1__maintenance_run.sql): a run is recorded
 * before its job starts, marked running, told what it was planned to do, and ended once with what it did. Runs are
 * read back for the guards, reconciliation, {@code history}, {@code report} and the API.
 */
public final class RunStore {

    private final Jdbc jdbc;
    private final Optional<RunsHighWaterMark> mark;

    RunStore(Jdbc jdbc, Optional<RunsHighWaterMark> mark) {
        this.jdbc = jdbc;
        this.mark = mark;
    }

    /** The run with {@code id}. */
    public Optional<RunRecord> run(long id) {
        return jdbc.query("SELECT * FROM maintenance_run WHERE id = ?", ps -> ps.setLong(1, id),
                rs -> rs.next() ? Optional.of(row(rs)) : Optional.<RunRecord>empty(), "cannot read maintenance run " + id);
    }

    /** Marks a submitted run as started on its backend. */
    public void running(long id, Instant startedAt) {
        jdbc.update("UPDATE maintenance_run SET state = ?, started_at = ? WHERE id = ? AND state IN (?, ?)", ps -> {
            ps.setString(1, RunState.RUNNING.name());
            ps.setTimestamp(2, Timestamp.from(startedAt));
            ps.setLong(3, id);
            ps.setString(4, RunState.SUBMITTED.name());
            ps.setString(5, RunState.RUNNING.name());
        }, "cannot record maintenance run " + id + " as running");
    }

    /** Records a run about to be submitted and returns its id. */
    public long submitted(NewRun run) {
        long id = jdbc.insert("INSERT INTO maintenance_run (table_path, action, planned_action, backend, cluster_spec, "
                + "table_version_before, submitted_at, state, health_before, job_handle, owner, table_id, forced, commit_tag) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", ps -> {
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
                }, run.table() + ": cannot record the submitted " + run.action() + " run");
        mark.ifPresent(m -> m.raise(id));
        return id;
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
        int changed = jdbc.update("UPDATE maintenance_run SET state = ?, started_at = ?, ended_at = ?, job_result = ?, "
                + "health_after = ?, commit_version = ?, error = ? WHERE id = ? AND state IN ('SUBMITTED', 'RUNNING')", ps -> {
                    ps.setString(1, state.name());
                    ps.setTimestamp(2, startedAt == null ? null : Timestamp.from(startedAt));
                    ps.setTimestamp(3, Timestamp.from(endedAt));
                    ps.setString(4, jobResult);
                    ps.setString(5, healthAfter);
                    Jdbc.setLong(ps, 6, commitVersion);
                    ps.setString(7, error);
                    ps.setLong(8, id);
                }, "cannot record the end of maintenance run " + id);
        if (changed == 1) {
            return true;
        }
        if (run(id).isEmpty()) {
            throw new DeltaAgentException("maintenance run " + id + " does not exist");
        }
        return false;
    }

    /** Records which unit of its action a run is and what it is expected to do (before its job starts). */
    public void planned(long id, int unit, int units, RunCheck planned) {
        jdbc.updateRun(id, "UPDATE maintenance_run SET unit_index = ?, unit_count = ?, planned_files_rewritten = ?, "
                + "planned_bytes_rewritten = ?, planned_files_written = ?, planned_small_file_bytes = ?, planned_files_after = ? "
                + "WHERE id = ?", ps -> {
                    ps.setInt(1, unit);
                    ps.setInt(2, units);
                    ps.setLong(3, planned.plannedFilesRewritten());
                    ps.setLong(4, planned.plannedBytesRewritten());
                    ps.setLong(5, planned.plannedFilesWritten());
                    ps.setLong(6, planned.plannedSmallFileBytes());
                    ps.setLong(7, planned.plannedFilesAfter());
                    ps.setLong(8, id);
                }, "cannot record the plan of maintenance run " + id);
    }

    /** Records what a finished run did beside its prediction, and whether it deviated. */
    public void checked(long id, RunCheck check) {
        jdbc.updateRun(id, "UPDATE maintenance_run SET actual_files_rewritten = ?, actual_bytes_rewritten = ?, "
                + "actual_files_written = ?, actual_bytes_written = ?, files_after = ?, write_amplification = ?, deviation = ? "
                + "WHERE id = ?", ps -> {
                    Jdbc.setLong(ps, 1, check.filesRewritten());
                    Jdbc.setLong(ps, 2, check.bytesRewritten());
                    Jdbc.setLong(ps, 3, check.filesWritten());
                    Jdbc.setLong(ps, 4, check.bytesWritten());
                    Jdbc.setLong(ps, 5, check.filesAfter());
                    Jdbc.setDouble(ps, 6, check.writeAmplification());
                    ps.setString(7, check.deviation());
                    ps.setLong(8, id);
                }, "cannot record the outcome check of maintenance run " + id);
    }

    /** Records the commitInfo of the commit run {@code id} produced, as read back from the table's log. */
    public void commitInfo(long id, String commitInfo) {
        jdbc.updateRun(id, "UPDATE maintenance_run SET commit_info = ? WHERE id = ?", ps -> {
            ps.setString(1, commitInfo);
            ps.setLong(2, id);
        }, "cannot record the commit of maintenance run " + id);
    }

    /** Records what asked the agent to stop ({@code SIGTERM}) while run {@code id}'s job was in flight. */
    public void stoppedBy(long id, String reason) {
        jdbc.updateRun(id, "UPDATE maintenance_run SET stopped_by = ? WHERE id = ?", ps -> {
            ps.setString(1, reason.length() > 100 ? reason.substring(0, 100) : reason);
            ps.setLong(2, id);
        }, "cannot record what stopped maintenance run " + id);
    }

    /** Records the backend's page for run {@code id}'s job (a Databricks run page), as soon as the backend names it. */
    public void runUrl(long id, String url) {
        jdbc.update("UPDATE maintenance_run SET run_url = ? WHERE id = ?", ps -> {
            ps.setString(1, url);
            ps.setLong(2, id);
        }, "cannot record the page of maintenance run " + id);
    }

    /** Records run {@code id}'s estimated compute cost. */
    public void cost(long id, RunCost cost) {
        jdbc.update("UPDATE maintenance_run SET cost_amount = ?, cost_currency = ?, cost_basis = ? WHERE id = ?", ps -> {
            ps.setBigDecimal(1, cost.amount());
            ps.setString(2, cost.currency());
            ps.setString(3, cost.basis());
            ps.setLong(4, id);
        }, "cannot record the cost of maintenance run " + id);
    }

    /** Run {@code id}'s estimated compute cost, or empty when it has none (no prices configured, or not ended). */
    public Optional<RunCost> cost(long id) {
        return jdbc.query("SELECT cost_amount, cost_currency, cost_basis FROM maintenance_run WHERE id = ?",
                ps -> ps.setLong(1, id), rs -> rs.next() && rs.getBigDecimal(1) != null
                        ? Optional.of(new RunCost(rs.getBigDecimal(1), rs.getString(2), rs.getString(3))) : Optional.<RunCost>empty(),
                "cannot read the cost of maintenance run " + id);
    }

    /** The commitInfo recorded for run {@code id}, or empty. */
    public Optional<String> commitInfo(long id) {
        return jdbc.query("SELECT commit_info FROM maintenance_run WHERE id = ?", ps -> ps.setLong(1, id),
                rs -> rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.<String>empty(),
                "cannot read the commit of maintenance run " + id);
    }

    /** The newest runs first, of one table or (table null) of all. */
    public List<RunRecord> history(String table, int limit) {
        return query(table == null ? "" : " WHERE table_path = ?", limit, table == null ? new Object[0] : new Object[] {table});
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

    /** The highest run id recorded, 0 for none: what the embedded file's high-water mark is checked against. */
    long maxRunId() {
        return jdbc.query("SELECT COALESCE(MAX(id), 0) FROM maintenance_run", Jdbc.Binder.NONE, rs -> {
            rs.next();
            return rs.getLong(1);
        }, "cannot read the newest run");
    }

    private static List<RunRecord> oldestFirst(List<RunRecord> newestFirst) {
        List<RunRecord> out = new ArrayList<>(newestFirst);
        Collections.reverse(out);
        return out;
    }

    /** Runs matching {@code where} (its ? bound to {@code params}: strings, timestamps), newest first. */
    private List<RunRecord> query(String where, int limit, Object... params) {
        return jdbc.query("SELECT * FROM maintenance_run" + where + " ORDER BY submitted_at DESC, id DESC", ps -> {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
        }, limit, rs -> {
            List<RunRecord> out = new ArrayList<>();
            while (rs.next()) {
                out.add(row(rs));
            }
            return out;
        }, "cannot read the maintenance history");
    }

    private static RunRecord row(ResultSet rs) throws SQLException {
        return new RunRecord(rs.getLong("id"), rs.getString("table_path"), rs.getString("action"),
                rs.getString("planned_action"), rs.getString("backend"), rs.getString("cluster_spec"),
                rs.getLong("table_version_before"), Jdbc.instant(rs, "submitted_at"), Jdbc.instant(rs, "started_at"),
                Jdbc.instant(rs, "ended_at"), RunState.valueOf(rs.getString("state")), rs.getString("job_result"),
                rs.getString("health_before"), rs.getString("health_after"), Jdbc.longOrNull(rs, "commit_version"),
                rs.getString("error"), rs.getString("job_handle"), rs.getString("owner"), Math.max(1, rs.getInt("unit_index")),
                Math.max(1, rs.getInt("unit_count")), check(rs), rs.getString("table_id"), rs.getBoolean("forced"),
                rs.getString("commit_tag"), rs.getString("stopped_by"));
    }

    private static RunCheck check(ResultSet rs) throws SQLException {
        Long planned = Jdbc.longOrNull(rs, "planned_files_rewritten");
        if (planned == null) {
            return null;
        }
        double amplification = rs.getDouble("write_amplification");
        Double writeAmplification = rs.wasNull() ? null : amplification;
        return new RunCheck(planned, rs.getLong("planned_bytes_rewritten"), rs.getLong("planned_files_written"),
                rs.getLong("planned_small_file_bytes"), rs.getLong("planned_files_after"),
                Jdbc.longOrNull(rs, "actual_files_rewritten"), Jdbc.longOrNull(rs, "actual_bytes_rewritten"),
                Jdbc.longOrNull(rs, "actual_files_written"), Jdbc.longOrNull(rs, "actual_bytes_written"),
                Jdbc.longOrNull(rs, "files_after"), writeAmplification, rs.getString("deviation"));
    }
}
