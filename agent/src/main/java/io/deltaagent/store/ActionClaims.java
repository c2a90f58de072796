package io.deltaagent.store;

import io.deltaagent.error.DeltaAgentException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import javax.sql.DataSource;

/**
 * The in-flight table+action pairs (table {@code action_claim}). Admission runs under a row lock
 * ({@code daemon_lock 'admission' FOR UPDATE}), so concurrency caps hold across daemons sharing the
 * database, and the primary key makes a second claim of the same pair impossible.
 */
public final class ActionClaims {

    private final DataSource dataSource;
    private final Jdbc jdbc;

    public ActionClaims(DataSource dataSource) {
        this.dataSource = dataSource;
        this.jdbc = new Jdbc(dataSource);
    }

    /**
     * Under the admission lock, shows {@code decide} every claim in flight and inserts the new claims it returns;
     * all or none are inserted.
     */
    public List<ActionClaim> admit(Function<List<ActionClaim>, List<ActionClaim>> decide) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                try (PreparedStatement lock = c.prepareStatement("SELECT name FROM daemon_lock WHERE name = 'admission' FOR UPDATE");
                     ResultSet rs = lock.executeQuery()) {
                    if (!rs.next()) {
                        throw new DeltaAgentException("the history database has no admission lock row: is its schema migrated?");
                    }
                }
                List<ActionClaim> existing = all(c);
                List<ActionClaim> admitted = decide.apply(existing);
                try (PreparedStatement ins = c.prepareStatement("INSERT INTO action_claim (table_path, action, backend, owner, "
                        + "claimed_at, reason, run_id) VALUES (?, ?, ?, ?, ?, ?, NULL)")) {
                    for (ActionClaim a : admitted) {
                        ins.setString(1, a.table());
                        ins.setString(2, a.action());
                        ins.setString(3, a.backend());
                        ins.setString(4, a.owner());
                        ins.setTimestamp(5, Timestamp.from(a.claimedAt()));
                        ins.setString(6, a.reason());
                        ins.executeUpdate();
                    }
                }
                c.commit();
                return admitted;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new DeltaAgentException("cannot admit maintenance in the history database: " + SqlErrors.message(e), e);
        }
    }

    public List<ActionClaim> all() {
        return jdbc.query(ALL, Jdbc.Binder.NONE, ActionClaims::claims, "cannot read the actions in flight");
    }

    public Optional<ActionClaim> get(String table, String action) {
        return all().stream().filter(a -> a.table().equals(table) && a.action().equals(action)).findFirst();
    }

    /** Links the claim to the run recorded for it, so a resumed job follows that run instead of starting another. */
    public void attachRun(String table, String action, long runId) {
        jdbc.update("UPDATE action_claim SET run_id = ? WHERE table_path = ? AND action = ?", ps -> {
            ps.setLong(1, runId);
            ps.setString(2, table);
            ps.setString(3, action);
        }, table + ": cannot link the " + action + " claim to run " + runId);
    }

    public void release(String table, String action) {
        jdbc.update("DELETE FROM action_claim WHERE table_path = ? AND action = ?", ps -> {
            ps.setString(1, table);
            ps.setString(2, action);
        }, table + ": cannot release the " + action + " claim");
    }

    private static final String ALL = "SELECT * FROM action_claim ORDER BY claimed_at, table_path, action";

    private static List<ActionClaim> all(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(ALL); ResultSet rs = ps.executeQuery()) {
            return claims(rs);
        }
    }

    private static List<ActionClaim> claims(ResultSet rs) throws SQLException {
        List<ActionClaim> out = new ArrayList<>();
        while (rs.next()) {
            out.add(new ActionClaim(rs.getString("table_path"), rs.getString("action"), rs.getString("backend"),
                    rs.getString("owner"), rs.getTimestamp("claimed_at").toInstant(), rs.getString("reason"),
                    Jdbc.longOrNull(rs, "run_id")));
        }
        return out;
    }
}
