package io.deltaagent.error;

/**
 * Base of every failure the agent reports to a person. Messages say what failed, why, and how to fix
 * it, and start with the table or the config key at fault.
 */
public class DeltaAgentException extends RuntimeException {
    public DeltaAgentException(String message) {
        super(message);
    }

    public DeltaAgentException(String message, Throwable cause) {
        super(message, cause);
    }
}
