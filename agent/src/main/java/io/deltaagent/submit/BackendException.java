package io.deltaagent.submit;

import io.deltaagent.error.DeltaAgentException;

/**
 * A backend could not start or follow a job: its API was unreachable, refused the request or kept
 * answering errors after the client's own retries. Distinct from a job that ran and failed, which is a
 * {@link JobOutcome}. Retryable failures count towards the backend's circuit breaker and are retried
 * with backoff; the others (bad credentials, invalid cluster settings) are reported at once.
 * Messages name the backend and never carry credentials.
 */
public class BackendException extends DeltaAgentException {

    private final boolean retryable;

    public BackendException(String message, boolean retryable) {
        super(message);
        this.retryable = retryable;
    }

    public BackendException(String message, boolean retryable, Throwable cause) {
        super(message, cause);
        this.retryable = retryable;
    }

    public boolean retryable() {
        return retryable;
    }
}
