package io.deltaagent.config;

import com.fasterxml.jackson.databind.JsonNode;
import io.deltaagent.error.ConfigException;
import io.deltaagent.error.Redaction;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A named group of options under one config key (a backend's settings, the resilience settings): parsed with
 * the same rules as table options (unknown keys rejected with the valid list, values parsed with their unit and
 * validated, secrets refused) and listed in the generated reference.
 */
public record OptionSection(String key, String description, List<ConfigOption<?>> options) {


    public OptionSection {
        options = List.copyOf(options);
    }

    public Map<String, ConfigOption<?>> byKey() {
        return options.stream().collect(Collectors.toUnmodifiableMap(ConfigOption::key, Function.identity()));
    }

    /** The values {@code node} sets explicitly, over the options' defaults. */
    public OptionValues parse(String source, String where, JsonNode node) {
        if (node == null || node.isNull()) {
            return OptionValues.builtIn();
        }
        return OptionValues.builtIn().with(parseValues(source, where, node, byKey(), Set.of()));
    }

    /** Parses the options of {@code node} against {@code valid}, allowing the extra keys in {@code alsoAllowed}. */
    static Map<String, Object> parseValues(String source, String where, JsonNode node, Map<String, ConfigOption<?>> valid,
                                           Set<String> alsoAllowed) {
        if (node.isNull()) {
            return Map.of();
        }
        if (!node.isObject()) {
            throw new ConfigException(source + ": " + where + ": must be a mapping of options");
        }
        Set<String> keys = new TreeSet<>(valid.keySet());
        keys.addAll(alsoAllowed);
        rejectUnknown(source, where + ".", node, keys);
        Map<String, Object> values = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            ConfigOption<?> option = valid.get(e.getKey());
            if (option == null || e.getValue().isNull()) {
                continue;
            }
            if (option.type() == OptionType.STRING_MAP) {
                refuseSecrets(source, where + "." + option.key(), e.getValue());
            }
            values.put(option.key(), parseValue(source, where + "." + option.key(), option, e.getValue()));
        }
        return values;
    }

    private static <T> T parseValue(String source, String keyPath, ConfigOption<T> option, JsonNode value) {
        try {
            return option.validate(option.type().parse(value));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(source + ": " + keyPath + ": " + e.getMessage()
                    + " (expected a " + option.type().name() + ", " + option.constraint() + ")");
        }
    }

    /** Free-form maps (Spark conf, tags) must not smuggle credentials into the config file. */
    private static void refuseSecrets(String source, String keyPath, JsonNode map) {
        map.fieldNames().forEachRemaining(k -> {
            String lower = k.toLowerCase(java.util.Locale.ROOT);
            if (Redaction.isSecretKey(lower)) {
                throw new ConfigException(source + ": " + keyPath + "." + k + ": secrets are not read from the config file; "
                        + "pass them through the environment or the platform's secret store");
            }
        });
    }

    static void rejectUnknown(String source, String prefix, JsonNode node, Set<String> valid) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!valid.contains(key)) {
                throw new ConfigException(source + ": unknown key '" + prefix + key + "'; valid keys"
                        + (prefix.isEmpty() ? "" : " under '" + prefix.substring(0, prefix.length() - 1) + "'")
                        + " are: " + String.join(", ", new TreeSet<>(valid)));
            }
        }
    }
}
