package io.deltaagent.policy;

import java.util.Objects;

/**
 * A threshold the table crossed.
 *
 * @param threshold the config key of the threshold ({@code min-small-files}, ...)
 * @param measured the measured value, in the threshold's unit ({@code unit})
 * @param limit the configured limit
 * @param detail one line for people: what was measured where
 */
public record Breach(String threshold, long measured, long limit, String unit, MaintenanceAction action, String detail) {
    public Breach {
        Objects.requireNonNull(threshold, "threshold");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(detail, "detail");
    }
}
