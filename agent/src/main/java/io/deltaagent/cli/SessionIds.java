package io.deltaagent.cli;

import io.deltaagent.config.Host;
import io.deltaagent.config.StateDirectory;
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
     * The log file of detached session {@code id}: in the directory DELTA_AGENT_SESSION_DIR (or
     * -Ddeltaagent.sessions.dir) names, else in {@code sessions/} of the state directory ({@link StateDirectory}).
     *
     * @throws io.deltaagent.error.ConfigException when neither is set and there is no state directory
     */
    static Path logOf(String id, Host host) {
        String dir = System.getProperty("deltaagent.sessions.dir", host.env().get("DELTA_AGENT_SESSION_DIR"));
        return (dir != null ? Paths.get(dir) : StateDirectory.of(host).sessions()).resolve(id + ".log");
    }

    /**
     * The status file of session {@code id} ({@link SessionStatusFile}): beside its log, ID.status.json.
     *
     * @param log the session's log as recorded, or null for where its log goes on this host
     */
    static Path statusOf(String id, String log, Host host) {
        return (log != null ? Paths.get(log) : logOf(id, host)).resolveSibling(id + ".status.json");
    }
}
