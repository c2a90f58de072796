package io.deltaagent.testing;

import java.nio.file.Path;

/** JDBC URLs of embedded H2 history databases in a test's temporary directory. */
public final class HistoryDb {

    private HistoryDb() {
    }

    /** The embedded H2 database {@code dir/history} (the file {@code history.mv.db}). */
    public static String h2(Path dir) {
        return h2(dir, "history");
    }

    /** The embedded H2 database {@code dir/name}, for a test that needs more than one. */
    public static String h2(Path dir, String name) {
        return "jdbc:h2:file:" + dir.resolve(name);
    }
}
