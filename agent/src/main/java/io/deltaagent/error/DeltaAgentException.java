package io.deltaagent.error;

/**
 * Base of every failure the agent reports to a person. Messages say what failed, why, and how to fix
 * it, and start with the table or the config key at fault. Credentials in them (a URL's password, a token in a
 * query, a secret setting's value) are masked here, once, for every message ({@link Redaction}).
 */
public class DeltaAgentException extends RuntimeException {
    public DeltaAgentException(String message) {
        super(Redaction.redact(message));
    }

    public DeltaAgentException(String message, Throwable cause) {
        super(Redaction.redact(message), cause);
    }
}
