package io.deltaagent.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltaagent.cli.ExitCode;
import io.deltaagent.testing.CliRun;
import io.deltaagent.testing.Eventually;
import io.deltaagent.testing.HistoryDb;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A stop signal during the history's schema migration, sent to the real CLI process. H2 runs DDL outside transactions:
 * cut half-way, a migration stays half-applied and every later command stopped on it ("Duplicate column name",
 * "Detected failed migration"). The signal now waits for the migration; a migration an older agent left half-applied
 * is taken back and applied again, with a message. The window is made reproducible by the test hook {@link
 * MigrationPause}: the migration pauses after a version has run and before Flyway records it, and the signal comes then.
 */
class MigrationSignalTest {

    @TempDir
    Path tmp;

    @ParameterizedTest(name = "SIGTERM after V{0} of a new history")
    @ValueSource(strings = {"1", "5", "10"})
    void aSigtermDuringTheFirstMigrationWaitsForItAndTheNextCommandFindsTheSchemaWhole(String version) throws Exception {
        String url = HistoryDb.h2(tmp);

        CliRun stopped = sigtermDuringMigration(url, version);

        CliRun next = CliRun.of("history", "--history-db", url, "--format", "json");
        assertThat(next.exitCode()).as(next.err()).isZero();
        assertThat(next.err()).isEmpty();
        assertSchemaWhole(url);
        assertThat(stopped.exitCode()).as(stopped.err()).isEqualTo(ExitCode.STOPPED_BY_SIGTERM);
        assertThat(stopped.err().strip()).as("one line, no trace")
                .startsWith("delta-agent: stopped by SIGTERM after the schema migration of history database " + url)
                .doesNotContain("\n").doesNotContain("Exception");
    }

    @Test
    void aSigtermDuringAnUpgradeMigrationWaitsForItAndKeepsTheRuns() throws Exception {
        String url = HistoryDb.h2(tmp);
        previousRelease(url);

        CliRun stopped = sigtermDuringMigration(url, "10");

        CliRun next = CliRun.of("history", "--history-db", url, "--format", "json");
        assertThat(next.exitCode()).as(next.err()).isZero();
        assertThat(next.json()).hasSize(1);
        assertThat(next.json().get(0).get("action").asText()).isEqualTo("VACUUM");
        assertSchemaWhole(url);
        assertThat(stopped.exitCode()).as(stopped.err()).isEqualTo(ExitCode.STOPPED_BY_SIGTERM);
    }

    @ParameterizedTest(name = "recorded failed by Flyway: {0}")
    @ValueSource(booleans = {true, false})
    void aMigrationAnOlderAgentLeftHalfAppliedIsTakenBackAndAppliedAgainWithAMessage(boolean recordedFailed) throws Exception {
        String url = HistoryDb.h2(tmp);
        previousRelease(url);
        // what an older agent stopped during V10 left: its first column added; Flyway's record of V10 either missing
        // (stopped before Flyway wrote it) or FAILED (as Flyway records the rerun that trips over that column)
        try (Connection c = DriverManager.getConnection(url, "sa", "")) {
            c.createStatement().execute("ALTER TABLE maintenance_run ADD COLUMN cost_amount DECIMAL(18, 4)");
        }
        if (recordedFailed) {
            try {
                flyway(url).migrate();
            } catch (RuntimeException expected) {
                assertThat(expected).hasMessageContaining("COST_AMOUNT");
            }
            assertThat(Arrays.stream(flyway(url).info().all()).map(MigrationInfo::getState)).contains(MigrationState.FAILED);
        }

        CliRun repaired = CliRun.forked("history", "--history-db", url, "--format", "json");

        assertThat(repaired.exitCode()).as(repaired.err()).isZero();
        assertThat(repaired.err()).contains("history database " + url + ": migration V10 (run cost) had been left half-applied")
                .contains("DROP COLUMN IF EXISTS COST_AMOUNT").contains("applied it again").doesNotContain("\tat ");
        assertThat(repaired.json()).hasSize(1);
        assertSchemaWhole(url);
        CliRun next = CliRun.of("history", "--history-db", url);
        assertThat(next.exitCode()).as(next.err()).isZero();
        assertThat(next.err()).as("repaired once").isEmpty();
    }

    /** The CLI's {@code history} in its own JVM, sent SIGTERM once its migration pauses after {@code version}. */
    private CliRun sigtermDuringMigration(String url, String version) throws Exception {
        Path marker = tmp.resolve("paused-" + version);
        List<String> cmd = CliRun.forkedCommand(
                List.of("-D" + MigrationPause.PROPERTY + "=" + version + ":1500:" + marker),
                List.of("history", "--history-db", url));
        Path out = tmp.resolve("out-" + version);
        Path err = tmp.resolve("err-" + version);
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        try {
            Eventually.await("the migration to pause after V" + version, Duration.ofSeconds(60), () -> Files.exists(marker)
                    || !p.isAlive(), ready -> ready);
            assertThat(p.isAlive()).as("paused, not ended: " + Files.readString(err)).isTrue();
            p.destroy(); // SIGTERM
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            return new CliRun(p.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            p.destroyForcibly();
        }
    }

    /** Every migration this agent has applied successfully, and the newest columns there. */
    private static void assertSchemaWhole(String url) throws Exception {
        MigrationInfo[] all = flyway(url).info().all();
        assertThat(all).isNotEmpty().allSatisfy(m -> assertThat(m.getState()).as("V" + m.getVersion()).isEqualTo(MigrationState.SUCCESS));
        try (Connection c = DriverManager.getConnection(url, "sa", "");
             ResultSet rs = c.createStatement().executeQuery("SELECT cost_amount, cost_currency, cost_basis FROM maintenance_run")) {
            while (rs.next()) {
                assertThat(rs.getString(1)).isNull();
            }
        }
    }

    /** The schema as the release before run costs (V10) left it, with one run recorded. */
    private static void previousRelease(String url) throws Exception {
        Flyway.configure().dataSource(url, "sa", "").locations("classpath:db/migration", "classpath:db/quartz/h2").target("9")
                .load().migrate();
        try (Connection c = DriverManager.getConnection(url, "sa", "")) {
            var ps = c.prepareStatement("INSERT INTO maintenance_run (table_path, action, planned_action, backend, "
                    + "table_version_before, submitted_at, state, health_before) VALUES ('/lake/t', 'VACUUM', '{}', 'local', 3, ?, "
                    + "'SUCCEEDED', '{}')");
            ps.setObject(1, java.sql.Timestamp.from(Instant.parse("2026-12-01T00:00:00Z")));
            ps.executeUpdate();
        }
    }

    private static Flyway flyway(String url) {
        return Flyway.configure().dataSource(url, "sa", "").locations("classpath:db/migration", "classpath:db/quartz/h2").load();
    }
}
