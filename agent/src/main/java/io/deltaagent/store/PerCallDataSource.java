package io.deltaagent.store;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.time.Duration;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A command's connections (maintain, history): one per call, from DriverManager. Embedded H2 closes the database
 * file when the call's connection closes, so other agent processes on the same file (parallel Airflow tasks on one
 * worker) get their turn between calls; a call that finds the file in use waits for it, up to {@code inUseWait}.
 */
final class PerCallDataSource implements DataSource {

    private final String url;
    private final String user;
    private final String password;
    private final Duration inUseWait;

    PerCallDataSource(String url, String user, String password, Duration inUseWait) {
        this.url = url;
        this.user = user;
        this.password = password;
        this.inUseWait = inUseWait;
    }

    @Override
    public Connection getConnection() throws SQLException {
        long deadline = System.nanoTime() + inUseWait.toNanos();
        long pauseMillis = 50;
        while (true) {
            try {
                return user == null ? DriverManager.getConnection(url) : DriverManager.getConnection(url, user, password);
            } catch (SQLException e) {
                if (e.getErrorCode() != EmbeddedH2.DATABASE_IN_USE || System.nanoTime() + pauseMillis * 1_000_000 > deadline) {
                    throw e;
                }
                try {
                    Thread.sleep(pauseMillis);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
                pauseMillis = Math.min(pauseMillis * 2, 1_000);
            }
        }
    }

    @Override
    public Connection getConnection(String u, String p) throws SQLException {
        return DriverManager.getConnection(url, u, p);
    }

    @Override
    public PrintWriter getLogWriter() {
        return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
    }

    @Override
    public void setLoginTimeout(int seconds) {
        DriverManager.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() {
        return DriverManager.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        throw new SQLException("not a wrapper");
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
        return false;
    }
}
