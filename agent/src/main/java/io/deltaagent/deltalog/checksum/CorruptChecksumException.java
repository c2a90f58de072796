package io.deltaagent.deltalog.checksum;

import io.deltaagent.error.DeltaAgentException;

/**
 * A checksum file that cannot be read as one (truncated, not JSON, a required field missing). Checksum files are
 * optional: the caller warns and relies on its full read, never fails the audit for it.
 */
public final class CorruptChecksumException extends DeltaAgentException {

    public CorruptChecksumException(String message, Throwable cause) {
        super(message, cause);
    }
}
