package io.deltaagent.store;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfoService;
import org.flywaydb.core.api.MigrationState;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The history schema, brought up to date by Flyway when a store opens. */
final class SchemaMigration {

    private static final Logger LOG = LoggerFactory.getLogger(SchemaMigration.class);

    private SchemaMigration() {
    }

    /**
     * Brings the schema up to date. A stop signal waits for the migration (H2 cannot roll DDL back: cut half-way, it
     * would stay half-applied), and a migration an older agent left failed is repaired first where that is safe.
     */
    /** Where the migrations of the database at {@code jdbcUrl} are. */
    static List<String> locations(String jdbcUrl) {
        // the Quartz job store tables differ per database: db/quartz/h2, db/quartz/postgresql
        String vendor = jdbcUrl.startsWith("jdbc:postgresql:") ? "postgresql" : "h2";
        return List.of("classpath:db/migration", "classpath:db/quartz/" + vendor);
    }

    static void migrate(DataSource ds, String jdbcUrl) {
        List<String> locations = locations(jdbcUrl);
        FluentConfiguration config = Flyway.configure().dataSource(ds).locations(locations.toArray(String[]::new));
        MigrationPause pause = MigrationPause.fromSystemProperty();
        if (pause != null) {
            config.callbacks(pause);
        }
        Flyway flyway = config.load();
        MigrationInfoService info = flyway.info();
        boolean failed = Arrays.stream(info.all()).anyMatch(m -> m.getState() == MigrationState.FAILED);
        if (info.pending().length == 0 && !failed) {
            return;
        }
        String signal;
        try (MigrationSignals held = MigrationSignals.hold()) {
            FailedMigrations failures = new FailedMigrations(locations, HistoryStore.redact(jdbcUrl));
            List<String> repaired = new ArrayList<>(failures.repair(flyway, ds));
            try {
                flyway.migrate();
            } catch (FlywayException e) {
                // an agent killed before Flyway recorded a migration it had (partly) applied: the rerun trips over it
                // ("Duplicate column name") and is recorded failed; repaired like any failed one, it runs once more
                List<String> again = failures.repair(flyway, ds);
                if (again.isEmpty()) {
                    throw e;
                }
                repaired.addAll(again);
                flyway.migrate();
            }
            repaired.forEach(r -> LOG.warn("history database {}: {}", HistoryStore.redact(jdbcUrl), r));
            signal = held.received();
        }
        if (signal != null) {
            throw new StoppedDuringMigration(signal, HistoryStore.redact(jdbcUrl));
        }
    }
}
