package io.deltaagent.error;

import java.util.Objects;

/**
 * A table could not be measured. The message starts with the table; {@link #kind()} tells callers
 * (exit codes, JSON output, retries) what sort of failure it was.
 */
public class TableReadException extends DeltaAgentException {

    /** What went wrong, in terms a caller can act on. */
    public enum Kind {
        /** The path does not exist. */
        NOT_FOUND,
        /** The path exists but holds no {@code _delta_log}. */
        NOT_A_DELTA_TABLE,
        /** A commit or checkpoint is missing or unreadable. */
        CORRUPT_LOG,
        /** The table's protocol is beyond what the reader implements. */
        UNSUPPORTED_PROTOCOL,
        /** The storage refused the credentials. */
        ACCESS_DENIED,
        /** Any other storage failure (network, throttling, ...). */
        STORAGE_ERROR,
        /** The audit did not finish within its audit-timeout: the storage (or the log read) stalled. */
        TIMED_OUT
    }

    private final String table;
    private final Kind kind;

    public TableReadException(String table, Kind kind, String detail) {
        this(table, kind, detail, null);
    }

    public TableReadException(String table, Kind kind, String detail, Throwable cause) {
        super(table + ": " + detail, cause);
        this.table = Objects.requireNonNull(table, "table");
        this.kind = Objects.requireNonNull(kind, "kind");
    }

    public String table() {
        return table;
    }

    public Kind kind() {
        return kind;
    }
}
