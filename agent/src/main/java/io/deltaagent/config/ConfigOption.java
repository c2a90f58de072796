package io.deltaagent.config;

import java.util.Objects;
import java.util.function.Predicate;

/**
 * One setting: its key, typed value with unit, default, validation and a one-line description.
 * The config reference (docs/CONFIG.md) is generated from these definitions.
 *
 * @param defaultValue the built-in default, or {@code null} when the default is derived ({@code defaultText} says how)
 */
public record ConfigOption<T>(
        String key,
        OptionType<T> type,
        T defaultValue,
        String defaultText,
        Predicate<T> validator,
        String constraint,
        String description) {

    public ConfigOption {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(validator, "validator");
        Objects.requireNonNull(description, "description");
        if (defaultText == null) {
            defaultText = type.format(defaultValue);
        }
    }

    public static <T> ConfigOption<T> of(String key, OptionType<T> type, T defaultValue,
                                         Predicate<T> validator, String constraint, String description) {
        return new ConfigOption<>(key, type, defaultValue, null, validator, constraint, description);
    }

    /** Checks a parsed value; the message names the constraint. */
    public T validate(T value) {
        if (value != null && !validator.test(value)) {
            throw new IllegalArgumentException(type.format(value) + " is out of range: must be " + constraint);
        }
        return value;
    }
}
