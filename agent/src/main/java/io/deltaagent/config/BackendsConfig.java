package io.deltaagent.config;

import com.fasterxml.jackson.databind.JsonNode;
import io.deltaagent.error.ConfigException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The backends configured under {@code backends:} and the {@code resilience:} settings around them. */
public record BackendsConfig(Map<String, OptionValues> sections, OptionValues resilience) {

    private static final Map<String, OptionSection> KNOWN = BackendOptions.SECTIONS.stream()
            .collect(Collectors.toUnmodifiableMap(OptionSection::key, Function.identity()));

    public BackendsConfig {
        sections = Map.copyOf(sections);
    }

    public static BackendsConfig none() {
        return new BackendsConfig(Map.of(), OptionValues.builtIn());
    }

    static BackendsConfig parse(String source, JsonNode backends, JsonNode resilience) {
        Map<String, OptionValues> sections = new LinkedHashMap<>();
        if (backends != null && !backends.isNull()) {
            if (!backends.isObject()) {
                throw new ConfigException(source + ": backends: must be a mapping of backend names to their settings");
            }
            OptionSection.rejectUnknown(source, "backends.", backends, new TreeSet<>(KNOWN.keySet()));
            backends.fields().forEachRemaining(e -> sections.put(e.getKey(),
                    KNOWN.get(e.getKey()).parse(source, "backends." + e.getKey(), e.getValue())));
        }
        OptionValues res = BackendOptions.RESILIENCE_SECTION.parse(source, "resilience", resilience);
        return new BackendsConfig(sections, res);
    }

    /** These backends with the command line's local-backend overrides (null: keep the config's), which win over backends.local. */
    public BackendsConfig withLocal(Integer cores, String heap) {
        Map<String, Object> overrides = new LinkedHashMap<>();
        if (cores != null) {
            overrides.put(BackendOptions.LOCAL_CORES.key(), BackendOptions.LOCAL_CORES.validate(cores));
        }
        if (heap != null) {
            overrides.put(BackendOptions.LOCAL_HEAP.key(), BackendOptions.LOCAL_HEAP.validate(heap));
        }
        if (overrides.isEmpty()) {
            return this;
        }
        Map<String, OptionValues> all = new LinkedHashMap<>(sections);
        all.put(BackendOptions.LOCAL, all.getOrDefault(BackendOptions.LOCAL, OptionValues.builtIn()).with(overrides));
        return new BackendsConfig(all, resilience);
    }

    /** The settings of {@code backend}; empty when the config has no section for it. */
    public Optional<OptionValues> section(String backend) {
        return Optional.ofNullable(sections.get(backend));
    }

    /** Refuses a backend the config does not set up, naming {@code source}. */
    public void requireKnown(String source, String backend) {
        if (!BackendOptions.NAMES.contains(backend)) {
            throw new ConfigException(source + ": unknown backend '" + backend + "'; valid: " + String.join(", ", BackendOptions.NAMES));
        }
        requireKnown(source, "backend", backend);
    }

    /** A table may name {@code local} without configuring it; every other backend needs its section. */
    public void requireKnown(String source, String where, String backend) {
        if (!BackendOptions.LOCAL.equals(backend) && !sections.containsKey(backend)) {
            throw new ConfigException(source + ": " + where + ": backend '" + backend + "' is not configured; add a 'backends."
                    + backend + "' section (configured: " + (sections.isEmpty() ? "none" : String.join(", ", sections.keySet())) + ")");
        }
    }
}
