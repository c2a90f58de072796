package io.deltaagent.store;

import io.deltaagent.error.DeltaAgentException;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationInfoService;
import org.flywaydb.core.api.MigrationState;

/**
 * What {@code delta-agent doctor} reports of a history database, found without changing it: no migration runs and an
 * embedded file that does not exist yet is not created.
 *
 * @param database       the URL with any password masked
 * @param exists         false for an embedded file not created yet (the first command that records creates it)
 * @param schemaVersion  the version the database is at, "none" before the first migration
 * @param latestVersion  the newest version this agent knows
 * @param pending        migrations this agent would apply on its next open
 * @param newerThanAgent true when the database was migrated by a newer agent
 * @param newestRun      the highest run id recorded, 0 for none
 * @param highWaterMark  the highest run id an embedded file recorded beside it, empty for other databases
 */
public record HistoryInspection(String database, boolean exists, String schemaVersion, String latestVersion, int pending,
                                boolean newerThanAgent, long newestRun, Optional<Long> highWaterMark) {

    /**
     * Inspects the database at {@code jdbcUrl}.
     *
     * @throws DeltaAgentException when it cannot be reached, created, read or trusted (a file short of runs), naming the
     *                             database and the way out, as the commands that open it would
     */
    public static HistoryInspection inspect(String jdbcUrl, String user, String password) {
        String database = HistoryStore.redact(jdbcUrl);
        Optional<EmbeddedHistoryFile> file = EmbeddedHistoryFile.of(jdbcUrl);
        Optional<RunsHighWaterMark> mark = RunsHighWaterMark.of(jdbcUrl);
        MigrationInfoService info;
        if (file.isPresent()) {
            file.get().checkAccess(true);
            if (!Files.exists(EmbeddedH2.file(jdbcUrl).orElseThrow())) {
                return new HistoryInspection(database, false, "none", latest(jdbcUrl, null), 0, false, 0, Optional.of(0L));
            }
            file.get().checkIntact(jdbcUrl, user, password, mark);
        }
        DataSource ds = new PerCallDataSource(JdbcUrls.effective(jdbcUrl), user, password, Duration.ofSeconds(2));
        long newest;
        try (Connection c = ds.getConnection()) {
            newest = hasRuns(c.getMetaData()) ? newestRun(c) : 0;
        } catch (SQLException e) {
            throw new DeltaAgentException("history database " + database + ": cannot connect: " + e.getMessage(), e);
        }
        try {
            info = flyway(ds, jdbcUrl).info();
        } catch (RuntimeException e) {
            throw new DeltaAgentException("history database " + database + ": cannot read the schema version: " + e.getMessage(), e);
        }
        MigrationInfo current = info.current();
        boolean newer = Arrays.stream(info.all()).anyMatch(m -> m.getState() == MigrationState.FUTURE_SUCCESS
                || m.getState() == MigrationState.FUTURE_FAILED);
        return new HistoryInspection(database, true, current == null ? "none" : current.getVersion().getVersion(),
                latest(jdbcUrl, info), info.pending().length, newer, newest, mark.map(RunsHighWaterMark::read));
    }

    private static Flyway flyway(DataSource ds, String jdbcUrl) {
        return Flyway.configure().dataSource(ds).locations(SchemaMigration.locations(jdbcUrl).toArray(String[]::new)).load();
    }

    /** The newest migration this agent carries. */
    private static String latest(String jdbcUrl, MigrationInfoService info) {
        // for a database not created yet: what an empty one would be brought to
        MigrationInfoService known = info != null ? info : flyway(new PerCallDataSource("jdbc:h2:mem:", "sa", "",
                Duration.ofSeconds(2)), jdbcUrl).info();
        return Arrays.stream(known.all()).filter(m -> m.getVersion() != null && m.getState() != MigrationState.FUTURE_SUCCESS
                        && m.getState() != MigrationState.FUTURE_FAILED)
                .map(m -> m.getVersion()).max(Comparable::compareTo).map(v -> v.getVersion()).orElse("none");
    }

    private static boolean hasRuns(DatabaseMetaData meta) throws SQLException {
        for (String name : new String[] {"maintenance_run", "MAINTENANCE_RUN"}) {
            try (ResultSet rs = meta.getTables(null, null, name, null)) {
                if (rs.next()) {
                    return true;
                }
            }
        }
        return false;
    }

    private static long newestRun(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT COALESCE(MAX(id), 0) FROM maintenance_run");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
