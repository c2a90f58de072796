package io.deltaagent.config;

import io.deltaagent.storage.TablePaths;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The agent's configuration: per-table settings layered over defaults, tables to audit, roots to
 * discover tables under, Hadoop FileSystem settings (never secrets: those come from the environment), and the
 * job backends with their resilience settings, and the catalogs whose tables are audited by name.
 *
 * @param catalogTables the {@code tables:} entries that name a catalog table instead of a path
 */
public record AgentConfig(
        OptionValues defaults,
        List<TableEntry> tables,
        List<String> discoverRoots,
        Map<String, String> hadoop,
        BackendsConfig backends,
        DaemonSettings daemon,
        CatalogsConfig catalogs,
        List<CatalogTableEntry> catalogTables) {

    public AgentConfig {
        Objects.requireNonNull(defaults, "defaults");
        tables = List.copyOf(tables);
        discoverRoots = List.copyOf(discoverRoots);
        hadoop = Map.copyOf(hadoop);
        Objects.requireNonNull(backends, "backends");
        Objects.requireNonNull(daemon, "daemon");
        Objects.requireNonNull(catalogs, "catalogs");
        catalogTables = List.copyOf(catalogTables);
    }

    public static AgentConfig empty() {
        return new AgentConfig(OptionValues.builtIn(), List.of(), List.of(), Map.of(), BackendsConfig.none(), DaemonSettings.defaults(),
                CatalogsConfig.none(), List.of());
    }

    /** This config with other daemon settings (e.g. {@code daemon --shadow}). */
    public AgentConfig withDaemon(DaemonSettings settings) {
        return new AgentConfig(defaults, tables, discoverRoots, hadoop, backends, settings, catalogs, catalogTables);
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

    /** True when any table may come from a catalog listing (a catalog configured to list all its tables). */
    public boolean listsCatalogs() {
        return catalogs.byName().values().stream().anyMatch(c -> c.get(CatalogOptions.DISCOVER));
    }
}
