package io.deltaagent.config;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Explicitly set option values over a parent layer (built-in defaults, then {@code defaults:}, then a
 * table's entry). Immutable.
 */
public final class OptionValues {

    private static final OptionValues BUILT_IN = new OptionValues(Map.of(), null);

    private final Map<String, Object> explicit;
    private final OptionValues parent;

    private OptionValues(Map<String, Object> explicit, OptionValues parent) {
        this.explicit = Map.copyOf(explicit);
        this.parent = parent;
    }

    public static OptionValues builtIn() {
        return BUILT_IN;
    }

    /** A layer over this one with {@code values} (keyed by option key) set explicitly. */
    public OptionValues with(Map<String, Object> values) {
        return new OptionValues(values, this);
    }

    public <T> OptionValues with(ConfigOption<T> option, T value) {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put(option.key(), Objects.requireNonNull(value));
        return with(values);
    }

    @SuppressWarnings("unchecked")
    public <T> T get(ConfigOption<T> option) {
        for (OptionValues layer = this; layer != null; layer = layer.parent) {
            if (layer.explicit.containsKey(option.key())) {
                return (T) layer.explicit.get(option.key());
            }
        }
        return option.defaultValue();
    }

    /** True when this layer (not a parent) sets {@code option}. */
    public boolean setHere(ConfigOption<?> option) {
        return explicit.containsKey(option.key());
    }
}
