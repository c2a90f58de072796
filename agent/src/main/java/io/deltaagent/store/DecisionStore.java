package io.deltaagent.store;

import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The daemon's budgeted decisions in the history database (V14__maintenance_decisions.sql): recorded when they are made,
 * settled with the measured cost when their run ends. What a day has spent is read back from here, so a restart (or
 * another daemon on the same database) goes on from it.
 */
public final class DecisionStore {

    private static final String COLUMNS = "decided_at, budget_day, owner, table_path, action, backend, table_version, verdict, "
            + "reason, shadow, score, predicted_gain, predicted_files_removed, predicted_bytes, predicted_cost, "
            + "predicted_compute_hours, cost_currency";

    private final Jdbc jdbc;

    public DecisionStore(HistoryStore store) {
        this.jdbc = new Jdbc(store.dataSource());
    }

    /** Records {@code row} (its id, run and measurements are ignored); returns its id. */
    public long record(DecisionRow row) {
        return jdbc.insert("INSERT INTO maintenance_decision (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                ps -> {
                    ps.setTimestamp(1, Timestamp.from(row.decidedAt()));
                    ps.setString(2, row.day());
                    ps.setString(3, row.owner());
                    ps.setString(4, row.table());
                    ps.setString(5, row.action());
                    ps.setString(6, row.backend());
                    Jdbc.setLong(ps, 7, row.tableVersion());
                    ps.setString(8, row.verdict());
                    ps.setString(9, row.reason() == null || row.reason().length() <= 1000 ? row.reason() : row.reason().substring(0, 1000));
                    ps.setBoolean(10, row.shadow());
                    ps.setDouble(11, row.score());
                    ps.setDouble(12, row.predictedGain());
                    ps.setLong(13, row.predictedFilesRemoved());
                    ps.setLong(14, row.predictedBytes());
                    decimal(ps, 15, row.predictedCost());
                    ps.setDouble(16, row.predictedComputeHours());
                    ps.setString(17, row.currency());
                }, row.table() + ": cannot record the " + row.action() + " decision");
    }

    /**
     * The newest admitted, unsettled decision (not shadow) of {@code table} and {@code action}: the one a run that is
     * starting or ending belongs to.
     */
    public Optional<DecisionRow> open(String table, String action) {
        return jdbc.query("SELECT * FROM maintenance_decision WHERE table_path = ? AND action = ? AND verdict = 'ADMITTED' "
                        + "AND shadow = FALSE AND settled_at IS NULL ORDER BY id DESC", ps -> {
                    ps.setString(1, table);
                    ps.setString(2, action);
                }, 1, rs -> rs.next() ? Optional.of(row(rs)) : Optional.<DecisionRow>empty(),
                table + ": cannot read the open " + action + " decision");
    }

    /** Links decision {@code id} to the run it became. */
    public void started(long id, long runId) {
        jdbc.update("UPDATE maintenance_decision SET run_id = ? WHERE id = ?", ps -> {
            ps.setLong(1, runId);
            ps.setLong(2, id);
        }, "cannot link decision " + id + " to run " + runId);
    }

    /**
     * Settles decision {@code id} with what its run cost (0 when nothing ran): from now on the day's spend counts this
     * instead of the prediction.
     */
    public void settle(long id, BigDecimal measuredCost, double measuredComputeHours, Instant at) {
        jdbc.update("UPDATE maintenance_decision SET measured_cost = ?, measured_compute_hours = ?, settled_at = ? WHERE id = ?", ps -> {
            decimal(ps, 1, measuredCost);
            ps.setDouble(2, measuredComputeHours);
            ps.setTimestamp(3, Timestamp.from(at));
            ps.setLong(4, id);
        }, "cannot settle decision " + id);
    }

    /** The decisions of UTC day {@code day} (shadow or not), oldest first. */
    public List<DecisionRow> day(String day, boolean shadow) {
        return jdbc.query("SELECT * FROM maintenance_decision WHERE budget_day = ? AND shadow = ? ORDER BY id", ps -> {
            ps.setString(1, day);
            ps.setBoolean(2, shadow);
        }, DecisionStore::rows, "cannot read the decisions of " + day);
    }

    /** The decisions made at or after {@code since} (every table when {@code table} is null), oldest first. */
    public List<DecisionRow> since(Instant since, String table, Boolean shadow) {
        String sql = "SELECT * FROM maintenance_decision WHERE decided_at >= ?" + (table == null ? "" : " AND table_path = ?")
                + (shadow == null ? "" : " AND shadow = ?") + " ORDER BY id";
        return jdbc.query(sql, ps -> {
            int i = 1;
            ps.setTimestamp(i++, Timestamp.from(since));
            if (table != null) {
                ps.setString(i++, table);
            }
            if (shadow != null) {
                ps.setBoolean(i, shadow);
            }
        }, DecisionStore::rows, "cannot read the decisions since " + since);
    }

    /** The latest {@code limit} settled decisions of {@code table} and {@code action} with a run, newest first. */
    public List<DecisionRow> settled(String table, String action, int limit) {
        return jdbc.query("SELECT * FROM maintenance_decision WHERE table_path = ? AND action = ? AND run_id IS NOT NULL "
                        + "AND measured_compute_hours IS NOT NULL ORDER BY id DESC", ps -> {
                    ps.setString(1, table);
                    ps.setString(2, action);
                }, limit, DecisionStore::rows, table + ": cannot read the settled " + action + " decisions");
    }

    /** True when a shadow decision already admitted {@code action} on {@code table} at {@code version}. */
    public boolean shadowAdmitted(String table, String action, long version) {
        return jdbc.query("SELECT 1 FROM maintenance_decision WHERE table_path = ? AND action = ? AND table_version = ? "
                        + "AND shadow = TRUE AND verdict = 'ADMITTED'", ps -> {
                    ps.setString(1, table);
                    ps.setString(2, action);
                    ps.setLong(3, version);
                }, 1, ResultSet::next, table + ": cannot read the shadow decisions");
    }

    private static List<DecisionRow> rows(ResultSet rs) throws SQLException {
        List<DecisionRow> out = new ArrayList<>();
        while (rs.next()) {
            out.add(row(rs));
        }
        return out;
    }

    private static DecisionRow row(ResultSet rs) throws SQLException {
        double measuredHours = rs.getDouble("measured_compute_hours");
        Double measured = rs.wasNull() ? null : measuredHours;
        return new DecisionRow(rs.getLong("id"), Jdbc.instant(rs, "decided_at"), rs.getString("budget_day"), rs.getString("owner"),
                rs.getString("table_path"), rs.getString("action"), rs.getString("backend"), Jdbc.longOrNull(rs, "table_version"),
                rs.getString("verdict"), rs.getString("reason"), rs.getBoolean("shadow"), rs.getDouble("score"),
                rs.getDouble("predicted_gain"), rs.getLong("predicted_files_removed"), rs.getLong("predicted_bytes"),
                rs.getBigDecimal("predicted_cost"), rs.getDouble("predicted_compute_hours"), rs.getString("cost_currency"),
                Jdbc.longOrNull(rs, "run_id"), rs.getBigDecimal("measured_cost"), measured);
    }

    private static void decimal(PreparedStatement ps, int index, BigDecimal value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.DECIMAL);
        } else {
            ps.setBigDecimal(index, value);
        }
    }
}
