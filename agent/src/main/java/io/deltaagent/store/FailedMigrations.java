package io.deltaagent.store;

import io.deltaagent.error.DeltaAgentException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationState;

/**
 * Repairs a migration an earlier agent left failed (killed half-way: H2 keeps the DDL it had run, Flyway records the
 * migration failed, and every command then stops on "Detected failed migration"). Flyway's own repair only deletes the
 * failed record; running the migration again would then trip over what the first attempt created ("Duplicate column
 * name"). A SQL migration made only of what can be taken back without losing anything (CREATE TABLE, ADD COLUMN,
 * CREATE INDEX, rows inserted into a table it creates) is undone first, the failed record removed by Flyway's repair,
 * and the migration then applied again by Flyway. Nothing else is touched: no command could record anything in the
 * columns and tables of a failed migration. Anything else is refused with the way out.
 */
final class FailedMigrations {

    private static final Pattern CREATE_TABLE = Pattern.compile("CREATE TABLE (?!IF )(\\w+).*", Pattern.DOTALL);
    private static final Pattern ADD_COLUMN =
            Pattern.compile("ALTER TABLE (\\w+) ADD (?:COLUMN )?(?!IF |CONSTRAINT |PRIMARY |FOREIGN |UNIQUE |CHECK )(\\w+).*", Pattern.DOTALL);
    private static final Pattern CREATE_INDEX =
            Pattern.compile("CREATE (?:UNIQUE )?INDEX (?!IF )(\\w+) ON .*", Pattern.DOTALL);
    private static final Pattern INSERT = Pattern.compile("INSERT INTO (\\w+).*", Pattern.DOTALL);

    private final List<String> locations;
    private final String database;

    FailedMigrations(List<String> locations, String database) {
        this.locations = List.copyOf(locations);
        this.database = database;
    }

    /**
     * Undoes and un-records every failed migration of {@code flyway}'s database, so that its migrate applies them again;
     * returns what was done, one line per migration (empty when none had failed).
     *
     * @throws DeltaAgentException when a failed migration cannot be undone safely, naming it and what to do
     */
    List<String> repair(Flyway flyway, DataSource dataSource) {
        List<MigrationInfo> failed = Arrays.stream(flyway.info().all())
                .filter(m -> m.getState() == MigrationState.FAILED).toList();
        List<String> done = new ArrayList<>();
        for (MigrationInfo m : failed) {
            List<String> undo = undo(m);
            try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
                for (String statement : undo) {
                    s.execute(statement);
                }
            } catch (SQLException e) {
                throw new DeltaAgentException("history database " + database + ": cannot undo the failed migration " + name(m)
                        + ": " + SqlErrors.message(e) + ". Restore the database from a copy taken before the upgrade", e);
            }
            done.add("migration " + name(m) + " had been left half-applied (an agent stopped during it): took back what it "
                    + "had applied (" + String.join("; ", undo) + ") and applied it again");
        }
        if (!failed.isEmpty()) {
            flyway.repair();
        }
        return done;
    }

    /** The statements that take back whatever part of {@code m} was applied, last change first. */
    private List<String> undo(MigrationInfo m) {
        if (!"SQL".equals(m.getType().name())) {
            throw unsafe(m, "it is a " + m.getType().name() + " migration, which cannot be undone from its script");
        }
        List<String> undo = new ArrayList<>();
        Set<String> created = new HashSet<>();
        for (String statement : statements(script(m))) {
            String s = statement.replaceAll("\\s+", " ").trim();
            String upper = s.toUpperCase(Locale.ROOT);
            Matcher t = CREATE_TABLE.matcher(upper);
            Matcher c = ADD_COLUMN.matcher(upper);
            Matcher i = CREATE_INDEX.matcher(upper);
            Matcher r = INSERT.matcher(upper);
            if (t.matches()) {
                created.add(t.group(1));
                undo.add(0, "DROP TABLE IF EXISTS " + t.group(1));
            } else if (c.matches()) {
                undo.add(0, "ALTER TABLE " + c.group(1) + " DROP COLUMN IF EXISTS " + c.group(2));
            } else if (i.matches()) {
                undo.add(0, "DROP INDEX IF EXISTS " + i.group(1));
            } else if (!(r.matches() && created.contains(r.group(1)))) {
                throw unsafe(m, "it contains a statement that cannot be taken back (" + s.substring(0, Math.min(s.length(), 60))
                        + ")");
            }
        }
        return undo;
    }

    private String script(MigrationInfo m) {
        for (String location : locations) {
            String resource = location.replaceFirst("^classpath:", "") + "/" + m.getScript();
            try (InputStream in = FailedMigrations.class.getClassLoader().getResourceAsStream(resource)) {
                if (in != null) {
                    return new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
            } catch (IOException e) {
                throw unsafe(m, "its script cannot be read: " + e.getMessage());
            }
        }
        throw unsafe(m, "this agent does not have its script " + m.getScript());
    }

    /** The statements of a plain SQL script: comments dropped, split at semicolons (our scripts quote none). */
    static List<String> statements(String script) {
        String code = script.replaceAll("(?m)--.*$", "");
        return Arrays.stream(code.split(";")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    private DeltaAgentException unsafe(MigrationInfo m, String why) {
        return new DeltaAgentException("history database " + database + ": migration " + name(m) + " failed earlier (an agent "
                + "stopped during it) and cannot be repaired automatically: " + why + ". Restore the database from a copy taken "
                + "before the upgrade, or remove what the migration applied and run Flyway's repair");
    }

    private static String name(MigrationInfo m) {
        return "V" + m.getVersion() + " (" + m.getDescription() + ")";
    }
}
