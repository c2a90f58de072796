package io.deltaagent.airflow;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltaagent.store.HistoryStore;
import io.deltaagent.store.SessionStore;
import io.deltaagent.testing.PostgresTestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Airflow provider's trigger reads a detached session straight from a PostgreSQL history database, without the
 * agent, with the two statements in {@code scripts/airflow/provider/delta_agent_provider/session_status.py}. This runs
 * those statements, as the provider writes them, against a history database the agent migrated and filled: a migration
 * that renames or drops a column they read fails here, not in a triggerer.
 */
class SessionSqlContractTest {

    private static final Pattern SQL = Pattern.compile("^(SESSION_SQL|RUNS_SQL) = \\((.*?)\\n\\)", Pattern.MULTILINE | Pattern.DOTALL);
    private static final Pattern LITERAL = Pattern.compile("\"([^\"]*)\"");

    @TempDir
    Path tmp;

    @Test
    void theTriggersStatementsReadASessionAndItsRunsFromAMigratedPostgresHistory() throws Exception {
        PostgresTestServer pg = PostgresTestServer.shared();
        String dbName = "airflow_contract_" + System.nanoTime();
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), "agent", "")) {
            c.createStatement().execute("CREATE DATABASE " + dbName);
        }
        String url = pg.jdbcUrl().replace("/agent", "/" + dbName);
        try (HistoryStore store = HistoryStore.open(url, "agent", "");
             Connection c = DriverManager.getConnection(url, "agent", "")) {
            readsWhatTheAgentWrote(store, c);
        }
    }

    @Test
    void theTriggersStatementsFitTheEmbeddedH2HistoryToo() throws Exception {
        // the same schema: a column the statements read is in every history database the agent migrates
        String url = "jdbc:h2:file:" + tmp.resolve("history");
        try (HistoryStore store = HistoryStore.open(url, "sa", "");
             Connection c = DriverManager.getConnection(url + ";AUTO_SERVER=FALSE", "sa", "")) {
            readsWhatTheAgentWrote(store, c);
        }
    }

    private static void readsWhatTheAgentWrote(HistoryStore store, Connection c) throws Exception {
        Instant started = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        String owner = "cli:worker-7:4242";
        SessionStore sessions = new SessionStore(store);
        assertThat(sessions.started("airflow-dag-task-1", owner, started, "/var/log/s.log")).isTrue();
        long runId = io.deltaagent.testing.TestRuns.submitted(store, "s3a://lake/events", "OPTIMIZE", "{}", "databricks", "spec", 3,
                started.plusSeconds(1), "{}", null, owner);
        store.runs().runUrl(runId, "https://databricks.invalid/#job/1/run/2");
        sessions.ended("airflow-dag-task-1", started.plusSeconds(60), 0, "{\"command\": \"maintain\"}");

        List<String> statements = statements();
        try (PreparedStatement ps = c.prepareStatement(statements.get(0))) {
            ps.setString(1, "airflow-dag-task-1");
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(columns(rs)).containsExactly("id", "owner", "started_at", "ended_at", "exit_code", "log_path",
                        "document", "cancel_requested_at");
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("airflow-dag-task-1");
                assertThat(rs.getString(2)).isEqualTo(owner);
                assertThat(rs.getTimestamp(3).toInstant()).isEqualTo(started);
                assertThat(rs.getTimestamp(4).toInstant()).isEqualTo(started.plusSeconds(60));
                assertThat(rs.getInt(5)).isZero();
                assertThat(rs.getString(6)).isEqualTo("/var/log/s.log");
                assertThat(rs.getString(7)).isEqualTo("{\"command\": \"maintain\"}");
                assertThat(rs.getTimestamp(8)).isNull();
            }
        }
        try (PreparedStatement ps = c.prepareStatement(statements.get(1))) {
            ps.setString(1, owner);
            ps.setTimestamp(2, Timestamp.from(started));
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(columns(rs)).containsExactly("id", "table_path", "action", "unit_index", "unit_count", "state",
                        "run_url");
                assertThat(rs.next()).isTrue();
                assertThat(rs.getLong(1)).isEqualTo(runId);
                assertThat(rs.getString(2)).isEqualTo("s3a://lake/events");
                assertThat(rs.getString(3)).isEqualTo("OPTIMIZE");
                assertThat(rs.getString(6)).isEqualTo("SUBMITTED");
                assertThat(rs.getString(7)).isEqualTo("https://databricks.invalid/#job/1/run/2");
                assertThat(rs.next()).isFalse();
            }
        }
    }

    /** SESSION_SQL and RUNS_SQL as the provider writes them, with JDBC's placeholders for psycopg's. */
    private static List<String> statements() throws Exception {
        Path module = Path.of(System.getProperty("deltaagent.repo.dir"),
                "scripts/airflow/provider/delta_agent_provider/session_status.py");
        Matcher m = SQL.matcher(Files.readString(module));
        List<String> out = new ArrayList<>();
        while (m.find()) {
            StringBuilder sql = new StringBuilder();
            Matcher literal = LITERAL.matcher(m.group(2));
            while (literal.find()) {
                sql.append(literal.group(1));
            }
            out.add(sql.toString().replace("%s", "?"));
        }
        assertThat(out).as("SESSION_SQL and RUNS_SQL in " + module).hasSize(2);
        assertThat(out.get(0)).startsWith("SELECT").contains("FROM maintain_session");
        assertThat(out.get(1)).startsWith("SELECT").contains("FROM maintenance_run");
        return out;
    }

    private static List<String> columns(ResultSet rs) throws Exception {
        ResultSetMetaData md = rs.getMetaData();
        List<String> names = new ArrayList<>();
        for (int i = 1; i <= md.getColumnCount(); i++) {
            names.add(md.getColumnLabel(i).toLowerCase(java.util.Locale.ROOT));
        }
        return names;
    }
}
