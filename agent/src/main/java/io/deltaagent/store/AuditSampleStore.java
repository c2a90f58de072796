package io.deltaagent.store;

import io.deltaagent.error.DeltaAgentException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * The audit trend in the history database (V9__audit_samples.sql): a row per table and audit, thinned with age so a fleet
 * audited every 15 minutes stays small. Every sample is kept for {@link #RAW_FOR}, the last of each hour for
 * {@link #HOURLY_FOR}, the last of each day for {@link #DAILY_FOR}; older rows are deleted. A table audited every 15
 * minutes keeps about 192 + 672 + 700 rows: about 1,600 rows (some 250 KB with indexes) per table and year at most.
 */
public final class AuditSampleStore {

    public static final Duration RAW_FOR = Duration.ofDays(2);
    public static final Duration HOURLY_FOR = Duration.ofDays(30);
    public static final Duration DAILY_FOR = Duration.ofDays(730);

    private final DataSource dataSource;

    public AuditSampleStore(HistoryStore store) {
        this.dataSource = store.dataSource();
    }

    /** Records {@code samples} in one transaction. */
    public void record(List<AuditSample> samples) {
        if (samples.isEmpty()) {
            return;
        }
        String sql = "INSERT INTO audit_sample (table_path, sampled_at, resolution, status, table_version, files, total_bytes, "
                + "small_files, commits_since_checkpoint, log_objects, log_read_millis, reader, error_kind, due) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
        try (Connection c = dataSource.getConnection()) {
            inTransaction(c, () -> {
                try (PreparedStatement ps = c.prepareStatement(sql)) {
                    for (AuditSample s : samples) {
                        ps.setString(1, s.table());
                        ps.setTimestamp(2, Timestamp.from(s.sampledAt()));
                        ps.setString(3, s.resolution());
                        ps.setString(4, s.status());
                        Jdbc.setLong(ps, 5, s.version());
                        Jdbc.setLong(ps, 6, s.files());
                        Jdbc.setLong(ps, 7, s.totalBytes());
                        Jdbc.setLong(ps, 8, s.smallFiles());
                        Jdbc.setLong(ps, 9, s.commitsSinceCheckpoint());
                        Jdbc.setLong(ps, 10, s.logObjects());
                        Jdbc.setLong(ps, 11, s.logReadMillis());
                        ps.setString(12, s.reader());
                        ps.setString(13, s.errorKind());
                        ps.setString(14, s.due() == null || s.due().length() <= 2000 ? s.due() : s.due().substring(0, 2000));
                        ps.addBatch();
                    }
                    ps.executeBatch();
                }
            });
        } catch (SQLException e) {
            throw new DeltaAgentException("cannot record " + samples.size() + " audit sample(s): " + SqlErrors.message(e), e);
        }
    }

    /** The samples of {@code table} (every table when null) taken at or after {@code since}, oldest first. */
    public List<AuditSample> samples(String table, Instant since) {
        String sql = "SELECT * FROM audit_sample WHERE sampled_at >= ?" + (table == null ? "" : " AND table_path = ?")
                + " ORDER BY sampled_at, id";
        List<AuditSample> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setTimestamp(1, Timestamp.from(since));
            if (table != null) {
                ps.setString(2, table);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new AuditSample(rs.getString("table_path"), rs.getTimestamp("sampled_at").toInstant(),
                            rs.getString("resolution"), rs.getString("status"), Jdbc.longOrNull(rs, "table_version"),
                            Jdbc.longOrNull(rs, "files"), Jdbc.longOrNull(rs, "total_bytes"), Jdbc.longOrNull(rs, "small_files"),
                            Jdbc.longOrNull(rs, "commits_since_checkpoint"), Jdbc.longOrNull(rs, "log_objects"),
                            Jdbc.longOrNull(rs, "log_read_millis"), rs.getString("reader"), rs.getString("error_kind"),
                            rs.getString("due")));
                }
            }
        } catch (SQLException e) {
            throw new DeltaAgentException("cannot read the audit samples: " + SqlErrors.message(e), e);
        }
        return out;
    }

    /** Statements that commit together or not at all. */
    private interface Work {
        void run() throws SQLException;
    }

    /** Runs {@code work} on {@code c} in one transaction: committed when it returns, rolled back when it throws. */
    private static void inTransaction(Connection c, Work work) throws SQLException {
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false);
        try {
            work.run();
            c.commit();
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(auto);
        }
    }

    /** What {@link #compact} did. */
    public record Compaction(int promoted, int deleted) {
    }

    /**
     * Thins the samples as of {@code now}: raw samples older than {@link #RAW_FOR} become the hour's sample when they are
     * the last of their table and hour, else are deleted; hour samples older than {@link #HOURLY_FOR} likewise become
     * the day's; day samples older than {@link #DAILY_FOR} are deleted. Idempotent.
     */
    public Compaction compact(Instant now) {
        int promoted = 0;
        int deleted = 0;
        Compaction hours = thin(AuditSample.RAW, AuditSample.HOUR, now.minus(RAW_FOR), ChronoUnit.HOURS);
        Compaction days = thin(AuditSample.HOUR, AuditSample.DAY, now.minus(HOURLY_FOR), ChronoUnit.DAYS);
        promoted += hours.promoted() + days.promoted();
        deleted += hours.deleted() + days.deleted();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("DELETE FROM audit_sample WHERE resolution = ? AND sampled_at < ?")) {
            ps.setString(1, AuditSample.DAY);
            ps.setTimestamp(2, Timestamp.from(now.minus(DAILY_FOR)));
            deleted += ps.executeUpdate();
        } catch (SQLException e) {
            throw new DeltaAgentException("cannot delete expired audit samples: " + SqlErrors.message(e), e);
        }
        return new Compaction(promoted, deleted);
    }

    /** Keeps the last {@code from} sample of each table and {@code unit} before {@code cutoff} as {@code to}; deletes the rest. */
    private Compaction thin(String from, String to, Instant cutoff, ChronoUnit unit) {
        Map<String, long[]> lastOfBucket = new HashMap<>(); // table + bucket -> {id, epochMillis}
        List<Long> all = new ArrayList<>();
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT id, table_path, sampled_at FROM audit_sample WHERE resolution = ? AND sampled_at < ?")) {
                ps.setString(1, from);
                ps.setTimestamp(2, Timestamp.from(cutoff));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        long id = rs.getLong(1);
                        Instant at = rs.getTimestamp(3).toInstant();
                        all.add(id);
                        String key = rs.getString(2) + "\n" + at.truncatedTo(unit);
                        long[] best = lastOfBucket.get(key);
                        if (best == null || at.toEpochMilli() > best[1] || at.toEpochMilli() == best[1] && id > best[0]) {
                            lastOfBucket.put(key, new long[] {id, at.toEpochMilli()});
                        }
                    }
                }
            }
            java.util.Set<Long> keep = new java.util.HashSet<>();
            lastOfBucket.values().forEach(v -> keep.add(v[0]));
            inTransaction(c, () -> {
                try (PreparedStatement promote = c.prepareStatement("UPDATE audit_sample SET resolution = ? WHERE id = ?");
                     PreparedStatement delete = c.prepareStatement("DELETE FROM audit_sample WHERE id = ?")) {
                    for (long id : all) {
                        if (keep.contains(id)) {
                            promote.setString(1, to);
                            promote.setLong(2, id);
                            promote.addBatch();
                        } else {
                            delete.setLong(1, id);
                            delete.addBatch();
                        }
                    }
                    promote.executeBatch();
                    delete.executeBatch();
                }
            });
            return new Compaction(keep.size(), all.size() - keep.size());
        } catch (SQLException e) {
            throw new DeltaAgentException("cannot thin the audit samples: " + SqlErrors.message(e), e);
        }
    }


}
