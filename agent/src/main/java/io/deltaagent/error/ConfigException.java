package io.deltaagent.error;

/** A configuration file or option is malformed; the message starts with the file and key at fault. */
public class ConfigException extends DeltaAgentException {
    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
