package io.deltaagent.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.util.Locale;

/**
 * The history database's connections: one pool per store, shared by the CLI, the daemon's Quartz threads,
 * its audits and its HTTP API.
 *
 * <p>Embedded H2 closes a database when its last connection closes and compacts the file as it does; a
 * connection per call made a busy daemon close and reopen its database many times a minute. The pool keeps
 * one connection for the life of the store (without a maximum lifetime, which only matters on a network), so
 * H2 opens the file once and closes it when the store closes. Held open, H2 writes commits to the file up
 * to a second later (its WRITE_DELAY); a daemon killed in that second would lose the record of a job it had
 * just started and submit it again after the restart, so commits are written as they happen.
 */
final class ConnectionPool {

    private ConnectionPool() {
    }

    static HikariDataSource open(String jdbcUrl, String user, String password, int maxConnections) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("delta-agent-history");
        config.setJdbcUrl(isEmbeddedH2(jdbcUrl) && !jdbcUrl.toUpperCase(Locale.ROOT).contains(";WRITE_DELAY=")
                ? jdbcUrl + ";WRITE_DELAY=0" : jdbcUrl);
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(maxConnections);
        config.setMinimumIdle(1);
        // a call waits at most 5 s for a connection: when the database is away the call fails soon and the
        // daemon's retries (or the CLI's exit 2) take over, instead of threads piling up behind a 30 s wait
        config.setConnectionTimeout(5_000);
        config.setValidationTimeout(2_000);
        if (isEmbeddedH2(jdbcUrl)) {
            config.setMaxLifetime(0);
        }
        return new HikariDataSource(config);
    }

    /** H2 in this process (file or memory), as opposed to H2's TCP/SSL server modes. */
    static boolean isEmbeddedH2(String jdbcUrl) {
        return jdbcUrl.startsWith("jdbc:h2:") && !jdbcUrl.startsWith("jdbc:h2:tcp:") && !jdbcUrl.startsWith("jdbc:h2:ssl:");
    }
}
