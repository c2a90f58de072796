package io.deltaagent.cli;

import io.deltaagent.store.HistoryStore;
import java.nio.file.Paths;
import java.util.Map;
import picocli.CommandLine.Option;

/** Where the history database is: embedded H2 under the home directory by default, any JDBC URL otherwise. */
final class HistoryDbOption {

    static final String DEFAULT_URL = "jdbc:h2:file:" + Paths.get(System.getProperty("user.home"), ".delta-agent", "history");

    @Option(names = "--history-db", paramLabel = "JDBC_URL",
            description = "History database (default: embedded H2 at ~/.delta-agent/history; PostgreSQL by "
                    + "jdbc:postgresql://... with DELTA_AGENT_DB_USER and DELTA_AGENT_DB_PASSWORD in the environment).")
    String url;

    HistoryStore open(Map<String, String> env) {
        return open(env, HistoryStore.DEFAULT_CONNECTIONS);
    }

    HistoryStore open(Map<String, String> env, int maxConnections) {
        String jdbc = url == null ? DEFAULT_URL : url;
        return HistoryStore.open(jdbc, env.getOrDefault("DELTA_AGENT_DB_USER", jdbc.startsWith("jdbc:h2:") ? "sa" : null),
                env.getOrDefault("DELTA_AGENT_DB_PASSWORD", jdbc.startsWith("jdbc:h2:") ? "" : null), maxConnections);
    }
}
