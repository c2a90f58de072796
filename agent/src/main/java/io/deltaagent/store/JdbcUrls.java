package io.deltaagent.store;

import java.util.Locale;

/** The JDBC URL the store actually connects with: the user's, plus what keeps a bad day bounded. */
final class JdbcUrls {

    /** Seconds: a PostgreSQL server that accepts and never answers must not hang a command or the daemon's start. */
    static final int CONNECT_TIMEOUT = 10;
    static final int LOGIN_TIMEOUT = 10;
    static final int SOCKET_TIMEOUT = 60;

    private JdbcUrls() {
    }

    static String effective(String jdbcUrl) {
        String url = EmbeddedH2.withTraceLogged(EmbeddedH2.withCommitsWritten(jdbcUrl));
        if (!url.startsWith("jdbc:postgresql:")) {
            return url;
        }
        url = withDefault(url, "connectTimeout", CONNECT_TIMEOUT);
        url = withDefault(url, "loginTimeout", LOGIN_TIMEOUT);
        return withDefault(url, "socketTimeout", SOCKET_TIMEOUT);
    }

    private static String withDefault(String url, String key, int seconds) {
        if (url.toLowerCase(Locale.ROOT).matches(".*[?&]" + key.toLowerCase(Locale.ROOT) + "=.*")) {
            return url;
        }
        return url + (url.contains("?") ? "&" : "?") + key + "=" + seconds;
    }
}
