package io.deltaagent.error;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.http.HttpTimeoutException;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

/**
 * The one place that tells a transient failure (retry later: exit 75) from a lasting one. Transient: a server that
 * refuses connections, does not answer in time, or says it is overloaded — a history database, a catalog or a storage
 * endpoint. Lasting: bad config, missing credentials, access denied, a corrupt log, an unknown host (a typo more often
 * than an outage). The cause chain is searched, since drivers and S3A wrap what the network said.
 */
public final class Transience {

    /** SQLSTATEs of a server that is down, restarting or full: PostgreSQL's 57P01-57P03 (shut down, crashed, starting), 53300. */
    private static final Set<String> SQL_STATES = Set.of("57P01", "57P02", "57P03", "53300");

    /** S3A's and the AWS SDK's own classes for throttling and timeouts, by name: the agent does not compile against them. */
    private static final Set<String> CLASSES = Set.of("AWSServiceThrottledException", "AWSStatus500Exception",
            "AWSApiCallTimeoutException", "AWSNoResponseException", "ApiCallTimeoutException", "ApiCallAttemptTimeoutException",
            "ConnectTimeoutException");

    /** What S3, GCS and Azure say when they shed load (503 SlowDown, 429, 503 Service Unavailable, 500 InternalError). */
    private static final Pattern THROTTLED = Pattern.compile("(?i)\\bslow ?down\\b|status code: (?:429|500|502|503|504)\\b"
            + "|\\b503 service unavailable|\\bthrottl|too many requests|\\bRequestTimeout\\b");

    private Transience() {
    }

    /** True when {@code e}, or something it wraps, says "the other side is unavailable now" rather than "this is wrong". */
    public static boolean isTransient(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            // JDBC calls both 08001 like a refusal, but a misspelt host or URL is not fixed by waiting
            if (t instanceof java.net.UnknownHostException
                    || t instanceof SQLException && String.valueOf(t.getMessage()).startsWith("No suitable driver")) {
                return false;
            }
        }
        int depth = 0;
        for (Throwable t = e; t != null && depth < 32; t = t.getCause() == t ? null : t.getCause(), depth++) {
            if (t instanceof TableReadException read) {
                if (read.kind() == TableReadException.Kind.TIMED_OUT) {
                    return true;
                }
                if (read.kind() != TableReadException.Kind.STORAGE_ERROR) {
                    return false; // not found, access denied, corrupt: a retry cannot help whatever the cause says
                }
            }
            if (t instanceof ConnectException || t instanceof NoRouteToHostException || t instanceof SocketTimeoutException
                    || t instanceof HttpTimeoutException || t instanceof TimeoutException
                    || t instanceof SQLTransientException || t instanceof SQLRecoverableException) {
                return true;
            }
            if (t instanceof SocketException && String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT).contains("connection reset")) {
                return true;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || SQL_STATES.contains(sql.getSQLState()))) {
                return true; // 08xxx: connection exceptions (refused, broken, timed out)
            }
            if (CLASSES.contains(t.getClass().getSimpleName()) || THROTTLED.matcher(String.valueOf(t.getMessage())).find()) {
                return true;
            }
        }
        return false;
    }
}
