package io.deltaagent.store;

import io.deltaagent.error.DeltaAgentException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Detached maintains in the history database (V8__maintain_sessions.sql): the background process records its session
 * when it starts and its end; anyone with the database (an Airflow trigger on another host) reads them.
 */
public final class SessionStore {

    /** SQLSTATE of a unique-key violation, in H2 and PostgreSQL alike. */
    private static final String DUPLICATE_KEY = "23505";

    private final Jdbc jdbc;

    public SessionStore(HistoryStore store) {
        this.jdbc = new Jdbc(store.dataSource());
    }

    /** Records session {@code id} as started by {@code owner}; false (and nothing written) when the id is taken. */
    public boolean started(String id, String owner, Instant startedAt, String logPath) {
        String sql = "INSERT INTO maintain_session (id, owner, started_at, log_path) VALUES (?, ?, ?, ?)";
        try (Connection c = jdbc.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, id);
            ps.setString(2, owner);
            ps.setTimestamp(3, Timestamp.from(startedAt));
            ps.setString(4, logPath);
            ps.executeUpdate();
            return true;
        } catch (SQLException e) {
            if (DUPLICATE_KEY.equals(e.getSQLState())) {
                return false; // the one statement whose failure is an answer, not an error
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
        return jdbc.update("UPDATE maintain_session SET owner = ?, started_at = ?, log_path = COALESCE(?, log_path) "
                + "WHERE id = ? AND owner = ? AND ended_at IS NULL", ps -> {
                    ps.setString(1, owner);
                    ps.setTimestamp(2, Timestamp.from(startedAt));
                    ps.setString(3, logPath);
                    ps.setString(4, id);
                    ps.setString(5, claimant);
                }, "cannot record maintain session " + id) == 1;
    }

    /**
     * Drops {@code claimant}'s claim on session {@code id} that no process adopted (its background process ended before
     * it started), so the id can be given again; true when there was one.
     */
    public boolean release(String id, String claimant) {
        return jdbc.update("DELETE FROM maintain_session WHERE id = ? AND owner = ? AND ended_at IS NULL", ps -> {
            ps.setString(1, id);
            ps.setString(2, claimant);
        }, "cannot release maintain session " + id) == 1;
    }

    /** Records how session {@code id} ended; a session ends once. */
    public void ended(String id, Instant endedAt, int exitCode, String document) {
        jdbc.update("UPDATE maintain_session SET ended_at = ?, exit_code = ?, document = ? WHERE id = ? AND ended_at IS NULL",
                ps -> {
                    ps.setTimestamp(1, Timestamp.from(endedAt));
                    ps.setInt(2, exitCode);
                    ps.setString(3, document);
                    ps.setString(4, id);
                }, "cannot record the end of maintain session " + id);
    }

    /**
     * Asks session {@code id}'s process to stop, wherever it runs: it reads this every few seconds. False when the
     * session has ended (or does not exist).
     */
    public boolean requestCancel(String id, Instant at) {
        return jdbc.update("UPDATE maintain_session SET cancel_requested_at = COALESCE(cancel_requested_at, ?) WHERE id = ? "
                + "AND ended_at IS NULL", ps -> {
                    ps.setTimestamp(1, Timestamp.from(at));
                    ps.setString(2, id);
                }, "cannot record the cancel of maintain session " + id) == 1;
    }

    /** Whether someone asked session {@code id} to stop. */
    public boolean cancelRequested(String id) {
        return jdbc.query("SELECT cancel_requested_at FROM maintain_session WHERE id = ?", ps -> ps.setString(1, id),
                rs -> rs.next() && rs.getTimestamp(1) != null, "cannot read maintain session " + id);
    }

    /** Session {@code id}, or empty. */
    public Optional<MaintainSession> find(String id) {
        return jdbc.query("SELECT * FROM maintain_session WHERE id = ?", ps -> ps.setString(1, id), rs -> {
            if (!rs.next()) {
                return Optional.<MaintainSession>empty();
            }
            int exit = rs.getInt("exit_code");
            Integer exitCode = rs.wasNull() ? null : exit;
            return Optional.of(new MaintainSession(rs.getString("id"), rs.getString("owner"),
                    rs.getTimestamp("started_at").toInstant(), Jdbc.instant(rs, "ended_at"), exitCode, rs.getString("log_path"),
                    rs.getString("document"), Jdbc.instant(rs, "cancel_requested_at")));
        }, "cannot read maintain session " + id);
    }

    /** The runs of {@code session}: those its process recorded since it started, oldest first. */
    public List<SessionRun> runs(MaintainSession session) {
        return jdbc.query("SELECT id, table_path, action, unit_index, unit_count, state, run_url FROM maintenance_run "
                + "WHERE owner = ? AND submitted_at >= ? ORDER BY id", ps -> {
                    ps.setString(1, session.owner());
                    ps.setTimestamp(2, Timestamp.from(session.startedAt()));
                }, rs -> {
                    List<SessionRun> out = new ArrayList<>();
                    while (rs.next()) {
                        out.add(new SessionRun(rs.getLong(1), rs.getString(2), rs.getString(3), Math.max(1, rs.getInt(4)),
                                Math.max(1, rs.getInt(5)), RunState.valueOf(rs.getString(6)), rs.getString(7)));
                    }
                    return out;
                }, "cannot read the runs of maintain session " + session.id());
    }
}
