package io.deltaagent.cli;

import io.deltaagent.store.HistoryStore;
import java.nio.file.Paths;
import java.util.Map;
import picocli.CommandLine.Option;

/** Where the history database is: embedded H2 under the home directory by default, any JDBC URL otherwise. */
final class HistoryDbOption {

    static final String DEFAULT_URL = "jdbc:h2:file:" + Paths.get(System.getProperty("user.home"), ".delta-agent", "history");

    @Option(names = "--history-db", paramLabel = "JDBC_URL",
            description = "History database: maintenance runs, sessions and audit samples (default: embedded H2 at "
                    + "~/.delta-agent/history; PostgreSQL by jdbc:postgresql://... with DELTA_AGENT_DB_USER and "
                    + "DELTA_AGENT_DB_PASSWORD in the environment). audit and plan record a sample per table only when it is given.")
    String url;

    /** True when --history-db was given (audit and plan record samples only then). */
    boolean given() {
        return url != null;
    }

    /** A command's store: a connection per call. */
    HistoryStore open(Map<String, String> env) {
        String jdbc = jdbcUrl();
        return HistoryStore.open(jdbc, user(env, jdbc), password(env, jdbc));
    }

    /** A store for a command that only reads it (history, report): a read-only embedded file is fine. */
    HistoryStore openForReading(Map<String, String> env) {
        String jdbc = jdbcUrl();
        return HistoryStore.openForReading(jdbc, user(env, jdbc), password(env, jdbc));
    }

    /** Refuses an embedded history a command could not record in (read-only, damaged), before it starts any work. */
    void checkRecordable(Map<String, String> env) {
        String jdbc = jdbcUrl();
        HistoryStore.checkRecordable(jdbc, user(env, jdbc), password(env, jdbc));
    }

    /** The daemon's store: a pool of at most {@code maxConnections}. */
    HistoryStore openPooled(Map<String, String> env, int maxConnections) {
        String jdbc = jdbcUrl();
        return HistoryStore.openPooled(jdbc, user(env, jdbc), password(env, jdbc), maxConnections);
    }

    private String jdbcUrl() {
        return url == null ? DEFAULT_URL : url;
    }

    private static String user(Map<String, String> env, String jdbc) {
        return env.getOrDefault("DELTA_AGENT_DB_USER", jdbc.startsWith("jdbc:h2:") ? "sa" : null);
    }

    private static String password(Map<String, String> env, String jdbc) {
        return env.getOrDefault("DELTA_AGENT_DB_PASSWORD", jdbc.startsWith("jdbc:h2:") ? "" : null);
    }
}
