package io.deltaagent.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The agent's version, as the build wrote it (io/deltaagent/version.properties, filtered from the pom). */
final class Version {

    private static final Properties BUILD = load();
    private static final String CURRENT = property("version");
    private static final String COMMIT = property("commit");

    private Version() {
    }

    static String current() {
        return CURRENT;
    }

    /** The git commit the build was made from ({@code -Dgit.commit}, as .ci/run passes it), or "unknown". */
    static String commit() {
        return COMMIT;
    }

    private static String property(String key) {
        String v = BUILD.getProperty(key, "").trim();
        return v.isEmpty() || v.startsWith("${") ? "unknown" : v;
    }

    private static Properties load() {
        Properties p = new Properties();
        try (InputStream in = Version.class.getResourceAsStream("/io/deltaagent/version.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            // an unreadable resource reads as "unknown", as a missing one
        }
        return p;
    }
}
