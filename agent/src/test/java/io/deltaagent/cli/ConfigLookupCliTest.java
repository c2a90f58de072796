package io.deltaagent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltaagent.config.Host;
import io.deltaagent.store.HistoryStore;
import io.deltaagent.store.RunState;
import io.deltaagent.testing.TestRuns;
import io.deltaagent.testing.CliRun;
import io.deltaagent.testing.StandaloneTables;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The commands find their config and history database the way users expect (flag, environment, XDG, /etc; the state
 * directory, the old ~/.delta-agent), on real tables written by Delta Standalone and real H2 databases, with the home
 * and root of the host in temporary directories.
 */
class ConfigLookupCliTest {

    @TempDir
    Path tmp;

    private Path home;
    private Path root;
    private Path table;
    private Path other;

    @BeforeEach
    void dirs() throws IOException {
        home = Files.createDirectories(tmp.resolve("home"));
        root = Files.createDirectories(tmp.resolve("root"));
        table = tmp.resolve("lake/events");
        other = tmp.resolve("lake/orders");
    }

    /** The two tables, for the tests that audit them (the others only name them). */
    private void writeTables() {
        StandaloneTables.write(table, 2, 2, 1_000, 0, 0);
        StandaloneTables.write(other, 2, 2, 1_000, 0, 0);
    }

    private Host host(Map<String, String> env) {
        return new Host(env, home, root);
    }

    private static Path config(Path file, Path table) throws IOException {
        Files.createDirectories(file.getParent());
        return Files.writeString(file, "tables:\n  - path: " + table + "\n");
    }

    private static String audited(CliRun run) {
        return run.json().get("tables").get(0).get("table").asText();
    }

    @Test
    void auditReadsTheTablesOfTheConfigEachSourceNames() throws IOException {
        writeTables();
        Path etc = config(root.resolve("etc/delta-agent/agent.yaml"), table);
        CliRun fromEtc = CliRun.of(host(Map.of()), "audit", "--format", "json");
        assertThat(fromEtc.exitCode()).as(fromEtc.err()).isIn(0, 3);
        assertThat(audited(fromEtc)).isEqualTo(table.toString());

        Path xdg = config(tmp.resolve("xdg/delta-agent/agent.yaml"), other);
        CliRun fromXdg = CliRun.of(host(Map.of("XDG_CONFIG_HOME", tmp.resolve("xdg").toString())), "audit", "--format", "json");
        assertThat(audited(fromXdg)).isEqualTo(other.toString());

        Path env = config(tmp.resolve("env.yaml"), table);
        Map<String, String> both = Map.of("XDG_CONFIG_HOME", tmp.resolve("xdg").toString(), "DELTA_AGENT_CONFIG", env.toString());
        assertThat(audited(CliRun.of(host(both), "audit", "--format", "json"))).isEqualTo(table.toString());

        CliRun flag = CliRun.of(host(both), "audit", "--format", "json", "--config", xdg.toString());
        assertThat(audited(flag)).isEqualTo(other.toString());
    }

    /** In a process of its own: the log lines go to the real stderr. */
    @Test
    void verboseSaysWhichConfigAndHistoryDatabaseAndWhy() throws Exception {
        writeTables();
        Path env = config(tmp.resolve("env.yaml"), table);
        String db = "jdbc:h2:file:" + tmp.resolve("verbose-history");
        ProcessBuilder pb = new ProcessBuilder(CliRun.forkedCommand(java.util.List.of(), java.util.List.of("plan", "-v")));
        pb.environment().put("DELTA_AGENT_CONFIG", env.toString());
        pb.environment().put("DELTA_AGENT_HISTORY_DB", db);
        Path err = tmp.resolve("err.txt");
        Process p = pb.redirectError(err.toFile()).redirectOutput(tmp.resolve("out.txt").toFile()).start();
        assertThat(p.waitFor(2, java.util.concurrent.TimeUnit.MINUTES)).isTrue();
        assertThat(p.exitValue()).as(Files.readString(err)).isIn(0, 3);
        assertThat(Files.readString(err)).contains("config " + env + " (from DELTA_AGENT_CONFIG)")
                .contains("history database " + db + " (from DELTA_AGENT_HISTORY_DB)");
    }

    @Test
    void aMissingFileNamedByTheVariableIsExit2NamingIt() {
        Path gone = tmp.resolve("gone.yaml");
        CliRun run = CliRun.of(host(Map.of("DELTA_AGENT_CONFIG", gone.toString())), "audit", table.toString());
        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(run.err()).contains(gone + ": config file does not exist (named by DELTA_AGENT_CONFIG)");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void anInvalidFileFoundInAWellKnownPlaceSaysWhereItWasFound() throws IOException {
        Path etc = root.resolve("etc/delta-agent/agent.yaml");
        Files.createDirectories(etc.getParent());
        Files.writeString(etc, "tabels: []\n");
        CliRun run = CliRun.of(host(Map.of()), "audit", table.toString());
        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(run.err()).contains(etc.toString()).contains("tabels").contains("[config file from /etc/delta-agent/agent.yaml]");
    }

    @Test
    void theDaemonWithoutAnyConfigIsExit2SayingWhereOneMayGo() {
        CliRun run = CliRun.of(host(Map.of()), "daemon", "--history-db", "jdbc:h2:mem:daemon-none");
        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(run.err()).contains("no config file: give --config FILE, set DELTA_AGENT_CONFIG, or put one at "
                + home.resolve(".config/delta-agent/agent.yaml") + " or " + root.resolve("etc/delta-agent/agent.yaml"));
    }

    @Test
    void theHistoryDatabaseVariableIsUsedAndTheFlagWinsOverIt() {
        writeTables();
        String fromEnv = "jdbc:h2:file:" + tmp.resolve("env-history");
        Map<String, String> env = Map.of("DELTA_AGENT_HISTORY_DB", fromEnv);
        // audit records samples when a database is named, by the flag or by the variable
        CliRun run = CliRun.of(host(env), "audit", "--format", "json", table.toString());
        assertThat(run.exitCode()).as(run.err()).isIn(0, 3);
        assertThat(tmp.resolve("env-history.mv.db")).exists();

        CliRun flag = CliRun.of(host(env), "audit", "--format", "json", "--history-db", "jdbc:h2:file:" + tmp.resolve("flag-history"),
                other.toString());
        assertThat(flag.exitCode()).as(flag.err()).isIn(0, 3);
        assertThat(tmp.resolve("flag-history.mv.db")).exists();
        try (HistoryStore store = HistoryStore.openForReading(fromEnv, "sa", "")) {
            assertThat(new io.deltaagent.store.AuditSampleStore(store).samples(null, Instant.EPOCH))
                    .extracting(io.deltaagent.store.AuditSample::table).containsOnly(table.toString());
        }
    }

    @Test
    void historyReportAndSessionReadTheDatabaseTheVariableNames() {
        String db = "jdbc:h2:file:" + tmp.resolve("shared-history");
        try (HistoryStore store = HistoryStore.open(db, "sa", "")) {
            long id = TestRuns.submitted(store, table.toString(), "OPTIMIZE", "{}", "local", "local[2]", 1, Instant.now(), "{}");
            store.runs().finished(id, RunState.SUCCEEDED, Instant.now(), Instant.now(), null, null, 3L, null);
        }
        Host env = host(Map.of("DELTA_AGENT_HISTORY_DB", db));
        CliRun history = CliRun.of(env, "history", "--format", "json");
        assertThat(history.exitCode()).as(history.err()).isZero();
        assertThat(history.out()).contains(table.toString());
        CliRun report = CliRun.of(env, "report", "--format", "json");
        assertThat(report.exitCode()).as(report.err()).isZero();
        assertThat(report.out()).contains(table.toString());
        CliRun session = CliRun.of(env, "session", "no-such-session");
        assertThat(session.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(session.err()).contains("no maintain session no-such-session in the history database " + db);
        assertThat(home.resolve(".local/state/delta-agent")).doesNotExist();
    }

    @Test
    void theDaemonReadsTheFileTheVariableNames() throws IOException {
        Path bad = Files.writeString(tmp.resolve("daemon.yaml"), "daemon:\n  http-adress: 127.0.0.1:0\n");
        CliRun run = CliRun.of(host(Map.of("DELTA_AGENT_CONFIG", bad.toString())), "daemon", "--history-db", "jdbc:h2:mem:daemon-env");
        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(run.err()).contains(bad.toString()).contains("http-adress").contains("[config file from DELTA_AGENT_CONFIG]");
    }

    @Test
    void aUserInTheVariablesUrlIsExit2NamingTheVariableNotThePassword() {
        CliRun run = CliRun.of(host(Map.of("DELTA_AGENT_HISTORY_DB", "jdbc:postgresql://agent:s3cr3t@db.example:5432/h")),
                "history");
        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(run.err()).contains("DELTA_AGENT_HISTORY_DB: ").contains("DELTA_AGENT_DB_USER").doesNotContain("s3cr3t");
    }

    @Test
    void theHistoryGoesToTheStateDirectory() {
        CliRun run = CliRun.of(host(Map.of()), "history");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(home.resolve(".local/state/delta-agent/history.mv.db")).exists();
        assertThat(home.resolve(".delta-agent")).doesNotExist();

        CliRun xdg = CliRun.of(host(Map.of("XDG_STATE_HOME", tmp.resolve("state").toString())), "history");
        assertThat(xdg.exitCode()).as(xdg.err()).isZero();
        assertThat(tmp.resolve("state/delta-agent/history.mv.db")).exists();
    }

    @Test
    void theOldHistoryIsStillRead() {
        try (HistoryStore old = HistoryStore.open("jdbc:h2:file:" + home.resolve(".delta-agent/history"), "sa", "")) {
            long id = TestRuns.submitted(old, table.toString(), "OPTIMIZE", "{}", "local", "local[2]", 1, Instant.now(), "{}");
            old.runs().finished(id, RunState.SUCCEEDED, Instant.now(), Instant.now(), null, null, 3L, null);
        }
        CliRun run = CliRun.of(host(Map.of()), "history", "--format", "json");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains(table.toString()).contains("OPTIMIZE");
        assertThat(home.resolve(".local/state/delta-agent/history.mv.db")).doesNotExist();
    }

    @Test
    void noHomeIsAClearErrorOrTheServiceDirectory() throws IOException {
        Host homeless = new Host(new HashMap<>(), null, root);
        CliRun run = CliRun.of(homeless, "history");
        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(run.err()).contains("no state directory").contains("XDG_STATE_HOME").contains("--history-db");

        Path service = Files.createDirectories(root.resolve("var/lib/delta-agent"));
        CliRun served = CliRun.of(homeless, "history");
        assertThat(served.exitCode()).as(served.err()).isZero();
        assertThat(service.resolve("history.mv.db")).exists();
    }
}
