package io.deltaagent.config;

import io.deltaagent.error.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the agent keeps its own state (the embedded history database, detached sessions' logs), chosen by one rule:
 * <ol>
 *   <li>{@code $XDG_STATE_HOME/delta-agent} when XDG_STATE_HOME is set (an absolute path);</li>
 *   <li>{@code /var/lib/delta-agent} when that directory exists and this user can write in it: a service install
 *       (systemd's StateDirectory=, the image) made it for its user, and an ordinary user cannot write there;</li>
 *   <li>{@code ~/.local/state/delta-agent} when the home directory exists and is writable;</li>
 *   <li>else there is none, and a command that needs one fails saying what to set.</li>
 * </ol>
 * Agents before this rule kept their state in {@code ~/.delta-agent}: while that directory holds a history database and
 * the chosen one does not, it is used instead, so no history is lost by an upgrade.
 *
 * @param dir    the directory (created when first written)
 * @param reason why this one, for logs and {@code doctor}
 * @param legacy true when it is the old {@code ~/.delta-agent}
 */
public record StateDirectory(Path dir, String reason, boolean legacy) {

    /** The file name of the embedded history database inside the state directory (H2 adds {@code .mv.db}). */
    public static final String HISTORY = "history";

    public StateDirectory {
        Objects.requireNonNull(dir, "dir");
        Objects.requireNonNull(reason, "reason");
    }

    /**
     * The state directory on {@code host}.
     *
     * @throws ConfigException when there is none: no XDG_STATE_HOME, no writable /var/lib/delta-agent, no usable home
     */
    public static StateDirectory of(Host host) {
        Optional<StateDirectory> chosen = preferred(host);
        Optional<Path> old = Optional.ofNullable(host.home()).map(h -> h.resolve(".delta-agent"));
        if (old.isPresent() && holdsHistory(old.get()) && chosen.map(c -> !holdsHistory(c.dir())).orElse(true)) {
            return new StateDirectory(old.get(), "the old location, which holds a history database while "
                    + chosen.map(c -> c.dir() + " does not; move its files there to use the new location")
                            .orElse("no new location is usable"), true);
        }
        return chosen.orElseThrow(() -> new ConfigException("no state directory for the embedded history database: HOME ("
                + (host.home() == null ? "unset" : host.home()) + ") is not a writable directory, XDG_STATE_HOME is not set "
                + "and " + host.system("/var/lib/delta-agent") + " does not exist or is not writable; set XDG_STATE_HOME to "
                + "a writable directory, create /var/lib/delta-agent for this user, or name a database with --history-db or "
                + "DELTA_AGENT_HISTORY_DB"));
    }

    private static Optional<StateDirectory> preferred(Host host) {
        Optional<Path> xdg = host.get("XDG_STATE_HOME").map(Paths::get).filter(Path::isAbsolute);
        if (xdg.isPresent()) {
            return Optional.of(new StateDirectory(xdg.get().resolve("delta-agent"), "XDG_STATE_HOME is set", false));
        }
        Path service = host.system("/var/lib/delta-agent");
        if (Files.isDirectory(service) && Files.isWritable(service)) {
            return Optional.of(new StateDirectory(service, "the service's directory: it exists and is writable", false));
        }
        Optional<Path> home = host.usableHome();
        // a home that is absent or read-only may still be where an old install kept its history: the legacy rule reads it
        return home.map(h -> new StateDirectory(h.resolve(".local").resolve("state").resolve("delta-agent"),
                "the user's state directory: XDG_STATE_HOME is unset", false));
    }

    /** Whether {@code dir} holds an embedded history database. */
    public static boolean holdsHistory(Path dir) {
        return Files.isRegularFile(dir.resolve(HISTORY + ".mv.db"));
    }

    /** The JDBC URL of the embedded history database in this directory. */
    public String historyUrl() {
        return "jdbc:h2:file:" + dir.resolve(HISTORY);
    }

    /** Where detached sessions' logs go. */
    public Path sessions() {
        return dir.resolve("sessions");
    }

    @Override
    public String toString() {
        return dir + " (" + reason + ")";
    }
}
