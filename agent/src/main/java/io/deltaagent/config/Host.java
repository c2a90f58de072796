package io.deltaagent.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What the agent finds around it on this machine: the environment variables, the user's home directory, and the root
 * below which {@code /etc} and {@code /var/lib} are looked up. Injected so that the lookups (config file, state
 * directory) can be tested without the real home or /etc.
 *
 * @param env  the environment variables
 * @param home the home directory, null when there is none (HOME unset and no user.home)
 * @param root the filesystem root, {@code /} outside tests
 */
public record Host(Map<String, String> env, Path home, Path root) {

    public Host {
        env = Map.copyOf(Objects.requireNonNull(env, "env"));
        Objects.requireNonNull(root, "root");
    }

    /**
     * This machine as seen through {@code env}: HOME when set, else the JVM's user.home (which Java takes from the
     * password database); neither is a home (a service user may have none, shown as {@code ?} or {@code /nonexistent}).
     */
    public static Host of(Map<String, String> env) {
        String home = nonBlank(env.get("HOME"));
        if (home == null) {
            home = nonBlank(System.getProperty("user.home"));
        }
        return new Host(env, home == null || home.equals("?") ? null : Paths.get(home), Paths.get("/"));
    }

    /** The variable {@code name}, empty when unset or blank. */
    public Optional<String> get(String name) {
        return Optional.ofNullable(nonBlank(env.get(name)));
    }

    /** The home directory when it exists and this user can write in it. */
    public Optional<Path> usableHome() {
        return Optional.ofNullable(home).filter(h -> Files.isDirectory(h) && Files.isWritable(h));
    }

    /** An absolute system path such as {@code /etc/delta-agent} below {@link #root}. */
    public Path system(String absolute) {
        return root.resolve(absolute.replaceFirst("^/+", ""));
    }

    private static String nonBlank(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
