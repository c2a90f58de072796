package io.deltaagent.store;

import java.util.Locale;

/** What the history store needs to know about H2 running inside the agent's own process. */
final class EmbeddedH2 {

    /** H2's "Database may be already in use": another process has the database file open. */
    static final int DATABASE_IN_USE = 90020;

    private EmbeddedH2() {
    }

    /** H2 in this process (file or memory), as opposed to H2's TCP/SSL server modes. */
    static boolean is(String jdbcUrl) {
        return jdbcUrl.startsWith("jdbc:h2:") && !jdbcUrl.startsWith("jdbc:h2:tcp:") && !jdbcUrl.startsWith("jdbc:h2:ssl:");
    }

    /**
     * The URL to connect with. An open H2 database writes commits to its file up to a second late (WRITE_DELAY): a
     * daemon killed in that second would lose the record of a job it had just started and submit the job again after
     * its restart. Embedded URLs get WRITE_DELAY=0 (each commit written as it happens) unless they set it.
     */
    static String withCommitsWritten(String jdbcUrl) {
        return is(jdbcUrl) && !jdbcUrl.toUpperCase(Locale.ROOT).contains(";WRITE_DELAY=") ? jdbcUrl + ";WRITE_DELAY=0" : jdbcUrl;
    }
}
