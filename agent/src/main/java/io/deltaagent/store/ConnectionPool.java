package io.deltaagent.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

/**
 * The daemon's connections to the history database: one pool, shared by its Quartz threads, audits, jobs and HTTP
 * API. Embedded H2 closes a database when its last connection closes (and compacts the file as it does): opened
 * per call, a busy daemon closed and reopened its database many times a minute from concurrent threads. The pool
 * keeps a connection for the life of the store (no maximum lifetime for embedded H2; it only matters on a network),
 * so H2 opens the file once and closes it when the daemon closes the store.
 */
final class ConnectionPool {

    private ConnectionPool() {
    }

    static HikariDataSource open(String jdbcUrl, String user, String password, int maxConnections) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("delta-agent-history");
        config.setJdbcUrl(JdbcUrls.effective(jdbcUrl));
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(maxConnections);
        config.setMinimumIdle(1);
        // a call waits at most 5 s for a connection: when the database is away the call fails soon and the daemon's
        // retries take over, instead of threads piling up behind a 30 s wait
        config.setConnectionTimeout(5_000);
        config.setValidationTimeout(2_000);
        if (EmbeddedH2.is(jdbcUrl)) {
            config.setMaxLifetime(0);
        }
        return new HikariDataSource(config);
    }
}
