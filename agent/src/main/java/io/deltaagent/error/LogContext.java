package io.deltaagent.error;

import org.slf4j.MDC;

/**
 * What a log line is about, beyond its message: the table, the maintenance run and the maintain session, set in the
 * SLF4J MDC where the agent works on them. The JSON log format writes each as a field of its own ({@code table},
 * {@code runId}, {@code session}), so a log pipeline can select one table's or one run's lines.
 */
public final class LogContext {

    public static final String TABLE = "table";
    public static final String RUN_ID = "runId";
    public static final String SESSION = "session";

    private LogContext() {
    }

    /** A value set until closed, when the one it replaced (if any) is back: scopes nest. */
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }

    /** Sets the table for this thread until the returned scope closes. */
    public static Scope table(String table) {
        String previous = MDC.get(TABLE);
        MDC.put(TABLE, table);
        return () -> {
            if (previous == null) {
                MDC.remove(TABLE);
            } else {
                MDC.put(TABLE, previous);
            }
        };
    }

    /** Sets the run for this thread; {@link #endRun()} clears it. */
    public static void run(long runId) {
        MDC.put(RUN_ID, Long.toString(runId));
    }

    public static void endRun() {
        MDC.remove(RUN_ID);
    }
}
