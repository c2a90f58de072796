package io.deltaagent.store;

import io.deltaagent.error.DeltaAgentException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import javax.sql.DataSource;

/**
 * The store's one way to run a statement: a connection per call from the data source (a pool's, or one per call for an
 * embedded database other processes share), parameters bound by the caller, and an {@link SQLException} turned into a
 * {@link DeltaAgentException} that says what could not be done ({@code failure}) and why, without credentials.
 */
final class Jdbc {

    /** Binds a statement's parameters. */
    interface Binder {
        Binder NONE = ps -> { };

        void bind(PreparedStatement ps) throws SQLException;
    }

    /** Reads a result set (all its rows, or the first). */
    interface Reader<T> {
        T read(ResultSet rs) throws SQLException;
    }

    private final DataSource dataSource;

    Jdbc(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    DataSource dataSource() {
        return dataSource;
    }

    /** Runs an update and returns how many rows it changed. */
    int update(String sql, Binder binder, String failure) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            binder.bind(ps);
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw failed(failure, e);
        }
    }

    /** Runs an update of maintenance run {@code id}'s row; a run that does not exist is an error. */
    void updateRun(long id, String sql, Binder binder, String failure) {
        if (update(sql, binder, failure) != 1) {
            throw new DeltaAgentException("maintenance run " + id + " does not exist");
        }
    }

    /** Inserts a row and returns its generated {@code id}. */
    long insert(String sql, Binder binder, String failure) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql, new String[] {"id"})) {
            binder.bind(ps);
            ps.executeUpdate();
            try (ResultSet keys = ps.getGeneratedKeys()) {
                keys.next();
                return keys.getLong(1);
            }
        } catch (SQLException e) {
            throw failed(failure, e);
        }
    }

    /** Runs a query, at most {@code maxRows} rows of it, and reads its result. */
    <T> T query(String sql, Binder binder, int maxRows, Reader<T> reader, String failure) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            binder.bind(ps);
            if (maxRows < Integer.MAX_VALUE) {
                ps.setMaxRows(maxRows);
            }
            try (ResultSet rs = ps.executeQuery()) {
                return reader.read(rs);
            }
        } catch (SQLException e) {
            throw failed(failure, e);
        }
    }

    <T> T query(String sql, Binder binder, Reader<T> reader, String failure) {
        return query(sql, binder, Integer.MAX_VALUE, reader, failure);
    }

    private static DeltaAgentException failed(String failure, SQLException e) {
        return new DeltaAgentException(failure + ": " + SqlErrors.message(e), e);
    }

    static void setLong(PreparedStatement ps, int index, Long value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.BIGINT);
        } else {
            ps.setLong(index, value);
        }
    }

    static void setDouble(PreparedStatement ps, int index, Double value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.DOUBLE);
        } else {
            ps.setDouble(index, value);
        }
    }

    static Long longOrNull(ResultSet rs, String column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : value;
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }
}
