package io.deltaagent.jobs.error;

/** The table URI does not exist or holds no Delta table (no commits under {@code _delta_log/}). Exit code 2. */
public class TableNotFoundException extends InvalidInputException {
    public TableNotFoundException(String message) {
        super(message);
    }

    public TableNotFoundException(String message, Throwable cause) {
        super(message, cause);
    }
}
