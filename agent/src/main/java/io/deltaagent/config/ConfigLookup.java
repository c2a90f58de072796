package io.deltaagent.config;

import io.deltaagent.error.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Finds the config file, as dbt or the AWS CLI find theirs: {@code --config FILE}, then {@code DELTA_AGENT_CONFIG},
 * then {@code $XDG_CONFIG_HOME/delta-agent/agent.yaml} ({@code ~/.config} when XDG_CONFIG_HOME is unset), then
 * {@code /etc/delta-agent/agent.yaml}. A file named by the flag or the variable must exist; the two well-known places
 * are used only when a file is there.
 */
public final class ConfigLookup {

    /** The environment variable that names the config file. */
    public static final String ENV = "DELTA_AGENT_CONFIG";

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ConfigLookup.class);

    private final Host host;

    public ConfigLookup(Host host) {
        this.host = java.util.Objects.requireNonNull(host, "host");
    }

    /**
     * The config file to use, empty when none is named and none is in the well-known places (the built-in defaults).
     *
     * @param flag the {@code --config} value, null when not given
     * @throws ConfigException when the flag or DELTA_AGENT_CONFIG names a file that does not exist, naming both
     */
    public Optional<ConfigLocation> find(Path flag) {
        if (flag != null) {
            return Optional.of(named(flag, ConfigLocation.Source.FLAG));
        }
        Optional<String> env = host.get(ENV);
        if (env.isPresent()) {
            return Optional.of(named(Paths.get(env.get()), ConfigLocation.Source.ENVIRONMENT));
        }
        return userFile().filter(Files::exists).map(p -> new ConfigLocation(p, ConfigLocation.Source.USER))
                .or(() -> Optional.of(systemFile()).filter(Files::exists).map(p -> new ConfigLocation(p, ConfigLocation.Source.SYSTEM)));
    }

    /** The places {@link #find} looks at when nothing names a file, for a message that says where a config may go. */
    public List<Path> wellKnownPlaces() {
        List<Path> places = new ArrayList<>();
        userFile().ifPresent(places::add);
        places.add(systemFile());
        return places;
    }

    /** Logs (at info, seen with --verbose) which file a command uses and why, or that it uses the defaults. */
    public static Optional<ConfigLocation> logged(Optional<ConfigLocation> found) {
        found.ifPresentOrElse(l -> LOG.info("config {}", l),
                () -> LOG.info("config: none named and none in the well-known places: the built-in defaults"));
        return found;
    }

    private ConfigLocation named(Path file, ConfigLocation.Source source) {
        if (!Files.exists(file)) {
            throw new ConfigException(file + ": config file does not exist (named by " + source.description() + ")"
                    + (source == ConfigLocation.Source.ENVIRONMENT ? "; unset " + ENV + " to use the defaults" : ""));
        }
        return new ConfigLocation(file, source);
    }

    // XDG Base Directory: a relative XDG_CONFIG_HOME is invalid and ignored
    private Optional<Path> userFile() {
        Optional<Path> base = host.get("XDG_CONFIG_HOME").map(Paths::get).filter(Path::isAbsolute)
                .or(() -> Optional.ofNullable(host.home()).map(h -> h.resolve(".config")));
        return base.map(b -> b.resolve("delta-agent").resolve("agent.yaml"));
    }

    private Path systemFile() {
        return host.system("/etc/delta-agent/agent.yaml");
    }
}
