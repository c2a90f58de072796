package io.deltaagent.store;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Locale;
import java.util.Optional;

/** What the history store needs to know about H2 running inside the agent's own process. */
final class EmbeddedH2 {

    /** H2's "Database may be already in use": another process has the database file open. */
    static final int DATABASE_IN_USE = 90020;
    /** H2's "Wrong user name or password". */
    static final int WRONG_USER_OR_PASSWORD = 28000;

    private EmbeddedH2() {
    }

    /** H2 in this process (file or memory), as opposed to H2's TCP/SSL server modes. */
    static boolean is(String jdbcUrl) {
        return jdbcUrl.startsWith("jdbc:h2:") && !jdbcUrl.startsWith("jdbc:h2:tcp:") && !jdbcUrl.startsWith("jdbc:h2:ssl:");
    }

    /** The database file ({@code NAME.mv.db}) of an embedded file URL; empty for memory, server and other URLs. */
    static Optional<Path> file(String jdbcUrl) {
        if (!is(jdbcUrl)) {
            return Optional.empty();
        }
        String rest = jdbcUrl.substring("jdbc:h2:".length());
        int options = rest.indexOf(';');
        rest = options < 0 ? rest : rest.substring(0, options);
        if (rest.toLowerCase(Locale.ROOT).startsWith("mem:")) {
            return Optional.empty();
        }
        rest = rest.toLowerCase(Locale.ROOT).startsWith("file:") ? rest.substring("file:".length()) : rest;
        if (rest.startsWith("~")) {
            rest = System.getProperty("user.home") + rest.substring(1);
        }
        return Optional.of(Paths.get(rest + ".mv.db").toAbsolutePath());
    }

    /**
     * The URL to connect with. An open H2 database writes commits to its file up to a second late (WRITE_DELAY): a
     * daemon killed in that second would lose the record of a job it had just started and submit the job again after
     * its restart. Embedded URLs get WRITE_DELAY=0 (each commit written as it happens) unless they set it.
     */
    static String withCommitsWritten(String jdbcUrl) {
        return is(jdbcUrl) && !has(jdbcUrl, "WRITE_DELAY") ? jdbcUrl + ";WRITE_DELAY=0" : jdbcUrl;
    }

    /**
     * H2 writes its errors to {@code NAME.trace.db} beside the database and, when it cannot (a directory the agent may
     * not write), prints a stack trace to stdout and stderr, ahead of the command's own output. TRACE_LEVEL_FILE=4 sends
     * them to SLF4J (logger {@code h2database}) instead, where {@code --verbose} decides, unless the URL sets it.
     */
    static String withTraceLogged(String jdbcUrl) {
        return jdbcUrl.startsWith("jdbc:h2:") && !has(jdbcUrl, "TRACE_LEVEL_FILE") ? jdbcUrl + ";TRACE_LEVEL_FILE=4" : jdbcUrl;
    }

    private static boolean has(String jdbcUrl, String setting) {
        return jdbcUrl.toUpperCase(Locale.ROOT).contains(";" + setting + "=");
    }
}
