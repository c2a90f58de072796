package io.deltaagent.cli;

import io.deltaagent.config.Host;
import io.deltaagent.config.StateDirectory;
import io.deltaagent.error.ConfigException;
import io.deltaagent.error.Redaction;
import io.deltaagent.store.HistoryStore;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * Where the history database is: {@code --history-db}, else {@code DELTA_AGENT_HISTORY_DB}, else embedded H2 in the
 * state directory ({@link StateDirectory}).
 */
final class HistoryDbOption {

    /** The environment variable that names the history database when --history-db is not given. */
    static final String ENV = "DELTA_AGENT_HISTORY_DB";

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(HistoryDbOption.class);

    /** The database a command uses and why that one ({@code --history-db}, the variable, or the state directory). */
    record Resolved(String url, String source) {
    }

    /** The authority of a JDBC URL with a host: {@code jdbc:postgresql://HERE/db}, {@code jdbc:h2:tcp://HERE/db}. */
    private static final Pattern AUTHORITY = Pattern.compile("jdbc:[a-z0-9]+(?::[a-z0-9]+)*://([^/?;]*)", Pattern.CASE_INSENSITIVE);

    @Option(names = "--history-db", paramLabel = "JDBC_URL", converter = UrlValue.class,
            description = "History database: maintenance runs, sessions and audit samples. Default: DELTA_AGENT_HISTORY_DB, "
                    + "else embedded H2 in the state directory (docs/CONFIG.md). PostgreSQL by jdbc:postgresql://... with "
                    + "DELTA_AGENT_DB_USER and DELTA_AGENT_DB_PASSWORD in the environment. audit and plan record a sample per "
                    + "table only when this or DELTA_AGENT_HISTORY_DB names a database.")
    String url;

    private final Host host;
    private Resolved resolved;

    HistoryDbOption(Host host) {
        this.host = java.util.Objects.requireNonNull(host, "host");
    }

    /** True when --history-db or DELTA_AGENT_HISTORY_DB names a database (audit and plan record samples only then). */
    boolean given() {
        return url != null || host.get(ENV).isPresent();
    }

    /**
     * The database to use: the flag wins over the variable, the variable over the state directory. Logged (at info) once.
     *
     * @throws ConfigException when DELTA_AGENT_HISTORY_DB carries a user or password, or there is no state directory
     */
    Resolved resolve() {
        if (resolved == null) {
            if (url != null) {
                resolved = new Resolved(url, "--history-db");
            } else if (host.get(ENV).isPresent()) {
                String value = host.get(ENV).get();
                String problem = userInfoProblem(value);
                if (problem != null) {
                    throw new ConfigException(ENV + ": " + problem);
                }
                resolved = new Resolved(value.strip(), ENV);
            } else {
                StateDirectory state = StateDirectory.of(host);
                resolved = new Resolved(state.historyUrl(), state.legacy() ? "the old state directory" : "the state directory");
                if (state.legacy()) {
                    LOG.info("state directory {}", state);
                }
            }
            LOG.info("history database {} (from {})", Redaction.redact(resolved.url()), resolved.source());
        }
        return resolved;
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

    /** What doctor reports of the database, without migrating or creating it. */
    io.deltaagent.store.HistoryInspection inspect(Map<String, String> env) {
        String jdbc = jdbcUrl();
        return io.deltaagent.store.HistoryInspection.inspect(jdbc, user(env, jdbc), password(env, jdbc));
    }

    /** The daemon's store: a pool of at most {@code maxConnections}. */
    HistoryStore openPooled(Map<String, String> env, int maxConnections) {
        String jdbc = jdbcUrl();
        return HistoryStore.openPooled(jdbc, user(env, jdbc), password(env, jdbc), maxConnections);
    }

    private String jdbcUrl() {
        return resolve().url();
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
            String problem = userInfoProblem(value);
            if (problem != null) {
                throw new CommandLine.TypeConversionException(problem);
            }
            return value.strip();
        }
    }

    /** Why {@code value} is refused (a user or password in its authority), null when it is not. */
    static String userInfoProblem(String value) {
        Matcher m = AUTHORITY.matcher(value.strip());
        if (m.lookingAt() && m.group(1).contains("@")) {
            return Redaction.redact(value.strip()) + ": a user or password in the URL is not read (the JDBC driver would take "
                    + "it for the host name); set DELTA_AGENT_DB_USER and DELTA_AGENT_DB_PASSWORD in the environment and leave "
                    + "them out of the URL";
        }
        return null;
    }
}
