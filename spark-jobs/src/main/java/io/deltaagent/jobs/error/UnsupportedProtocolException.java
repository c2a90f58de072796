package io.deltaagent.jobs.error;

/**
 * The table's protocol forbids this job: a table feature the job runtime's delta-spark does not support, or a
 * catalog-managed table, whose catalog owns its commits. Raised before any work; exit 2, as running it again
 * unchanged fails the same way (run it on a runtime that supports the features, or through the table's catalog).
 */
public class UnsupportedProtocolException extends InvalidInputException {
    public UnsupportedProtocolException(String message) {
        super(message);
    }
}
