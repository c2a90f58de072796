package io.deltaagent.cli;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.regex.Pattern;

/** What a maintain session id may be, and where a detached maintain's log goes by default. */
final class SessionIds {

    /** Letters, digits and {@code . _ : + -}: safe as a file name, and an Airflow run id fits once sanitized. */
    static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:+-]{0,199}");

    private SessionIds() {
    }

    /** Null when {@code id} is valid, else why not. */
    static String problem(String id) {
        return ID.matcher(id).matches() ? null : "--session " + id + ": a session id is 1 to 200 letters, digits and . _ : + - "
                + "and starts with a letter or digit";
    }

    /**
     * The log file of detached session {@code id}: ~/.delta-agent/sessions/ID.log, or in the directory
     * DELTA_AGENT_SESSION_DIR (or -Ddeltaagent.sessions.dir) names.
     */
    static Path logOf(String id) {
        String dir = System.getProperty("deltaagent.sessions.dir", System.getenv("DELTA_AGENT_SESSION_DIR"));
        return (dir != null ? Paths.get(dir) : Paths.get(System.getProperty("user.home"), ".delta-agent", "sessions"))
                .resolve(id + ".log");
    }

    /** The status file of session {@code id} ({@link SessionStatusFile}): beside its log, ID.status.json. */
    static Path statusOf(String id) {
        return logOf(id).resolveSibling(id + ".status.json");
    }
}
