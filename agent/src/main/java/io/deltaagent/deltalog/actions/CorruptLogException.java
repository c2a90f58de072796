package io.deltaagent.deltalog.actions;

/** A log file that the protocol requires is missing or cannot be parsed; the message names the file. */
public class CorruptLogException extends RuntimeException {
    public CorruptLogException(String message, Throwable cause) {
        super(message, cause);
    }

    public CorruptLogException(String message) {
        super(message);
    }
}
