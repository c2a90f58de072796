package io.deltaagent.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The agent's version, as the build wrote it (io/deltaagent/version.properties, filtered from the pom). */
final class Version {

    private static final String CURRENT = read();

    private Version() {
    }

    static String current() {
        return CURRENT;
    }

    private static String read() {
        try (InputStream in = Version.class.getResourceAsStream("/io/deltaagent/version.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties p = new Properties();
            p.load(in);
            String v = p.getProperty("version", "").trim();
            return v.isEmpty() || v.startsWith("${") ? "unknown" : v;
        } catch (IOException e) {
            return "unknown";
        }
    }
}
