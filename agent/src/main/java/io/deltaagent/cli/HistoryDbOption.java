package io.deltaagent.cli;

import io.deltaagent.store.HistoryStore;
import java.nio.file.Paths;
import io.deltaagent.error.Redaction;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** Where the history database is: embedded H2 under the home directory by default, any JDBC URL otherwise. */
final class HistoryDbOption {

    static final String DEFAULT_URL = "jdbc:h2:file:" + Paths.get(System.getProperty("user.home"), ".delta-agent", "history");

    /** The authority of a JDBC URL with a host: {@code jdbc:postgresql://HERE/db}, {@code jdbc:h2:tcp://HERE/db}. */
    private static final Pattern AUTHORITY = Pattern.compile("jdbc:[a-z0-9]+(?::[a-z0-9]+)*://([^/?;]*)", Pattern.CASE_INSENSITIVE);

    @Option(names = "--history-db", paramLabel = "JDBC_URL", converter = UrlValue.class,
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

    // H2's built-in user and empty password, unless the URL sets its own (;USER=...;PASSWORD=...): H2 refuses a
    // property given both in the URL and beside it ("Duplicate property")
    private static String user(Map<String, String> env, String jdbc) {
        return env.getOrDefault("DELTA_AGENT_DB_USER", h2Default(jdbc, "USER", "sa"));
    }

    private static String password(Map<String, String> env, String jdbc) {
        return env.getOrDefault("DELTA_AGENT_DB_PASSWORD", h2Default(jdbc, "PASSWORD", ""));
    }

    private static String h2Default(String jdbc, String property, String value) {
        String upper = jdbc.toUpperCase(Locale.ROOT);
        return upper.startsWith("JDBC:H2:") && !upper.contains(";" + property + "=") ? value : null;
    }

    /**
     * Refuses a user (and password) in the URL's authority while the command line is parsed, before anything runs: the
     * PostgreSQL and H2 drivers take {@code user:password@host} for a host name and echo it in their errors, and a command
     * line is visible to every user of the machine. Credentials belong in the environment.
     */
    static final class UrlValue implements CommandLine.ITypeConverter<String> {
        @Override
        public String convert(String value) {
            Matcher m = AUTHORITY.matcher(value.strip());
            if (m.lookingAt() && m.group(1).contains("@")) {
                throw new CommandLine.TypeConversionException(Redaction.redact(value.strip()) + ": a user or password in the "
                        + "URL is not read (the JDBC driver would take it for the host name); set DELTA_AGENT_DB_USER and "
                        + "DELTA_AGENT_DB_PASSWORD in the environment and leave them out of the URL");
            }
            return value.strip();
        }
    }
}
