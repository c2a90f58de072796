package io.deltaagent.store;

import io.deltaagent.error.DeltaAgentException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Detached maintains in the history database (V8__maintain_sessions.sql): the background process records its session
 * when it starts and its end; anyone with the database (an Airflow trigger on another host) reads them.
 */
public final class SessionStore {

    /** SQLSTATE of a unique-key violation, in H2 and PostgreSQL alike. */
    private static final String DUPLICATE_KEY = "23505";

    private final DataSource dataSource;

    public SessionStore(HistoryStore store) {
        this.dataSource = store.dataSource();
    }

    /** Records session {@code id} as started by {@code owner}; false (and nothing written) when the id is taken. */
    public boolean started(String id, String owner, Instant startedAt, String logPath) {
        String sql = "INSERT INTO maintain_session (id, owner, started_at, log_path) VALUES (?, ?, ?, ?)";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, id);
            ps.setString(2, owner);
            ps.setTimestamp(3, Timestamp.from(startedAt));
            ps.setString(4, logPath);
            ps.executeUpdate();
            return true;
        } catch (SQLException e) {
            if (DUPLICATE_KEY.equals(e.getSQLState())) {
                return false;
            }
            throw new DeltaAgentException("cannot record maintain session " + id + ": " + SqlErrors.message(e), e);
        }
    }

    /**
     * Hands session {@code id}, claimed by {@code claimant} with {@link #started} ({@code maintain --detach}, before it
     * starts the background process), to that process: {@code owner} from {@code startedAt}. False (and nothing written)
     * when the session is not {@code claimant}'s or has ended.
     */
    public boolean adopt(String id, String claimant, String owner, Instant startedAt, String logPath) {
        String sql = "UPDATE maintain_session SET owner = ?, started_at = ?, log_path = COALESCE(?, log_path) "
                + "WHERE id = ? AND owner = ? AND ended_at IS NULL";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, owner);
            ps.setTimestamp(2, Timestamp.from(startedAt));
            ps.setString(3, logPath);
            ps.setString(4, id);
            ps.setString(5, claimant);
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new DeltaAgentException("cannot record maintain session " + id + ": " + e.getMessage(), e);
        }
    }

    /**
     * Drops {@code claimant}'s claim on session {@code id} that no process adopted (its background process ended before
     * it started), so the id can be given again; true when there was one.
     */
    public boolean release(String id, String claimant) {
        String sql = "DELETE FROM maintain_session WHERE id = ? AND owner = ? AND ended_at IS NULL";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, id);
            ps.setString(2, claimant);
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new DeltaAgentException("cannot release maintain session " + id + ": " + e.getMessage(), e);
        }
    }

    /** Records how session {@code id} ended; a session ends once. */
    public void ended(String id, Instant endedAt, int exitCode, String document) {
        String sql = "UPDATE maintain_session SET ended_at = ?, exit_code = ?, document = ? WHERE id = ? AND ended_at IS NULL";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setTimestamp(1, Timestamp.from(endedAt));
            ps.setInt(2, exitCode);
            ps.setString(3, document);
            ps.setString(4, id);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new DeltaAgentException("cannot record the end of maintain session " + id + ": " + SqlErrors.message(e), e);
        }
    }

    /**
     * Asks session {@code id}'s process to stop, wherever it runs: it reads this every few seconds. False when the
     * session has ended (or does not exist).
     */
    public boolean requestCancel(String id, Instant at) {
        String sql = "UPDATE maintain_session SET cancel_requested_at = COALESCE(cancel_requested_at, ?) WHERE id = ? "
                + "AND ended_at IS NULL";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setTimestamp(1, Timestamp.from(at));
            ps.setString(2, id);
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new DeltaAgentException("cannot record the cancel of maintain session " + id + ": " + SqlErrors.message(e), e);
        }
    }

    /** Whether someone asked session {@code id} to stop. */
    public boolean cancelRequested(String id) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT cancel_requested_at FROM maintain_session WHERE id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getTimestamp(1) != null;
            }
        } catch (SQLException e) {
            throw new DeltaAgentException("cannot read maintain session " + id + ": " + SqlErrors.message(e), e);
        }
    }

    /** Session {@code id}, or empty. */
    public Optional<MaintainSession> find(String id) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT * FROM maintain_session WHERE id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                int exit = rs.getInt("exit_code");
                Integer exitCode = rs.wasNull() ? null : exit;
                Timestamp ended = rs.getTimestamp("ended_at");
                Timestamp cancel = rs.getTimestamp("cancel_requested_at");
                return Optional.of(new MaintainSession(rs.getString("id"), rs.getString("owner"),
                        rs.getTimestamp("started_at").toInstant(), ended == null ? null : ended.toInstant(), exitCode,
                        rs.getString("log_path"), rs.getString("document"), cancel == null ? null : cancel.toInstant()));
            }
        } catch (SQLException e) {
            throw new DeltaAgentException("cannot read maintain session " + id + ": " + SqlErrors.message(e), e);
        }
    }

    /** The runs of {@code session}: those its process recorded since it started, oldest first. */
    public List<SessionRun> runs(MaintainSession session) {
        String sql = "SELECT id, table_path, action, unit_index, unit_count, state, run_url FROM maintenance_run "
                + "WHERE owner = ? AND submitted_at >= ? ORDER BY id";
        List<SessionRun> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, session.owner());
            ps.setTimestamp(2, Timestamp.from(session.startedAt()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new SessionRun(rs.getLong(1), rs.getString(2), rs.getString(3), Math.max(1, rs.getInt(4)),
                            Math.max(1, rs.getInt(5)), RunState.valueOf(rs.getString(6)), rs.getString(7)));
                }
            }
        } catch (SQLException e) {
            throw new DeltaAgentException("cannot read the runs of maintain session " + session.id() + ": " + SqlErrors.message(e), e);
        }
        return out;
    }
}
