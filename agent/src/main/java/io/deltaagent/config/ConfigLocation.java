package io.deltaagent.config;

import java.nio.file.Path;
import java.util.Objects;

/**
 * The config file a command uses and why that one.
 *
 * @param path   the file
 * @param source where its name came from
 */
public record ConfigLocation(Path path, Source source) {

    /** Where a config file's name came from, in the order they are tried. */
    public enum Source {
        FLAG("--config"),
        ENVIRONMENT(ConfigLookup.ENV),
        USER("$XDG_CONFIG_HOME/delta-agent/agent.yaml"),
        SYSTEM("/etc/delta-agent/agent.yaml");

        private final String description;

        Source(String description) {
            this.description = description;
        }

        /** How a user names this source: the flag, the variable or the path pattern. */
        public String description() {
            return description;
        }
    }

    public ConfigLocation {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(source, "source");
    }

    /** For logs and doctor: {@code /etc/delta-agent/agent.yaml (from /etc/delta-agent/agent.yaml)}. */
    @Override
    public String toString() {
        return path + " (from " + source.description() + ")";
    }
}
