package io.deltaagent.daemon.http;

import io.deltaagent.config.DaemonSettings;
import io.deltaagent.error.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Reads the HTTP bearer token from where the config points: an environment variable or a file, never the config itself. */
public final class BearerToken {

    private BearerToken() {
    }

    /** The token, or null when none is configured; a configured source that is unset or empty is an error. */
    public static String resolve(DaemonSettings settings, Map<String, String> env) {
        if (settings.httpTokenEnv() != null && settings.httpTokenFile() != null) {
            throw new ConfigException("daemon: set http-token-env or http-token-file, not both");
        }
        if (settings.httpTokenEnv() != null) {
            String t = env.get(settings.httpTokenEnv());
            if (t == null || t.isBlank()) {
                throw new ConfigException("daemon.http-token-env: the environment variable " + settings.httpTokenEnv()
                        + " is not set or empty");
            }
            return t.trim();
        }
        if (settings.httpTokenFile() != null) {
            try {
                String t = Files.readString(Path.of(settings.httpTokenFile())).trim();
                if (t.isEmpty()) {
                    throw new ConfigException("daemon.http-token-file: " + settings.httpTokenFile() + " is empty");
                }
                return t;
            } catch (IOException e) {
                throw new ConfigException("daemon.http-token-file: cannot read " + settings.httpTokenFile() + ": " + e.getMessage(), e);
            }
        }
        return null;
    }
}
