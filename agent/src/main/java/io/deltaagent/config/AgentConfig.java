package io.deltaagent.config;

import io.deltaagent.storage.TablePaths;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The agent's configuration: per-table settings layered over defaults, tables to audit, roots to
 * discover tables under, Hadoop FileSystem settings (never secrets: those come from the environment), and the
 * job backends with their resilience settings.
 */
public record AgentConfig(
        OptionValues defaults,
        List<TableEntry> tables,
        List<String> discoverRoots,
        Map<String, String> hadoop,
        BackendsConfig backends,
        DaemonSettings daemon) {

    public AgentConfig {
        Objects.requireNonNull(defaults, "defaults");
        tables = List.copyOf(tables);
        discoverRoots = List.copyOf(discoverRoots);
        hadoop = Map.copyOf(hadoop);
        Objects.requireNonNull(backends, "backends");
        Objects.requireNonNull(daemon, "daemon");
    }

    public static AgentConfig empty() {
        return new AgentConfig(OptionValues.builtIn(), List.of(), List.of(), Map.of(), BackendsConfig.none(), DaemonSettings.defaults());
    }

    /** Settings for a table that has no entry of its own. */
    public TableSettings defaultSettings() {
        return TableSettings.from(defaults, false);
    }

    /**
     * The configured entry for the table at {@code path} however it is spelled (see {@link TablePaths}), or one with the
     * default settings; either way named by the table's canonical path.
     *
     * @throws IllegalArgumentException when {@code path} is no valid table path
     */
    public TableEntry entryFor(String path) {
        String canonical = TablePaths.canonical(path);
        return tables.stream()
                .filter(t -> t.path().equals(canonical))
                .findFirst()
                .orElseGet(() -> new TableEntry(canonical, defaultSettings()));
    }
}
