package io.deltaagent.jobs.error;

import io.deltaagent.jobs.result.ExitCode;

/**
 * The request cannot run as given: bad usage, a predicate or column the table does not have, a retention
 * below the safety floor. Exit code 2; running it again unchanged fails the same way.
 */
public class InvalidInputException extends JobException {
    public InvalidInputException(String message) {
        super(message, ExitCode.BAD_INPUT, false, null);
    }

    public InvalidInputException(String message, Throwable cause) {
        super(message, ExitCode.BAD_INPUT, false, cause);
    }
}
