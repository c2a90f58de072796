package io.deltaagent.daemon;

import io.deltaagent.audit.TableAuditor;
import io.deltaagent.catalog.CatalogTables;
import io.deltaagent.config.AgentConfig;
import io.deltaagent.config.TableEntry;
import io.deltaagent.deltalog.DeltaLogReader;
import io.deltaagent.discover.TableDiscovery;
import io.deltaagent.error.DeltaAgentException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One loaded config with what is built from it (log reader, auditor, discovery). A reload on SIGHUP swaps
 * the whole generation at once, so a cycle never mixes two configs.
 */
public record ConfigGeneration(AgentConfig config, DeltaLogReader reader, TableAuditor auditor, TableDiscovery discovery,
                               CatalogTables catalogs, Set<String> selectedCatalogs) {

    private static final Logger LOG = LoggerFactory.getLogger(ConfigGeneration.class);

    public ConfigGeneration {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(reader, "reader");
        Objects.requireNonNull(auditor, "auditor");
        Objects.requireNonNull(discovery, "discovery");
        Objects.requireNonNull(catalogs, "catalogs");
        selectedCatalogs = Set.copyOf(selectedCatalogs);
    }

    public ConfigGeneration(AgentConfig config, DeltaLogReader reader, TableAuditor auditor, TableDiscovery discovery) {
        this(config, reader, auditor, discovery, new CatalogTables(config, Map.of()), Set.of());
    }

    /** Whether any table may come from a catalog: a catalog named by --catalog or listed by the config, or a named table. */
    boolean usesCatalogs() {
        return !selectedCatalogs.isEmpty() || config.listsCatalogs() || !config.catalogTables().isEmpty();
    }

    /** The catalogs' tables now; failures are logged (naming the catalog) and leave the other tables be. */
    CatalogTables.Resolved catalogTables() {
        if (!usesCatalogs()) {
            return new CatalogTables.Resolved(Map.of(), List.of(), List.of());
        }
        CatalogTables.Resolved resolved = catalogs.resolve(selectedCatalogs);
        resolved.failures().forEach(f -> LOG.warn("{}", f.getMessage()));
        return resolved;
    }

    /** Every audit schedule in use: the listed tables' own and, for discovered and catalog-listed tables, the defaults'. */
    public List<String> schedules() {
        TreeSet<String> out = new TreeSet<>();
        config.tables().forEach(t -> out.add(t.settings().auditSchedule()));
        config.catalogTables().forEach(t -> out.add(t.settings().auditSchedule()));
        if (!config.discoverRoots().isEmpty() || !selectedCatalogs.isEmpty() || config.listsCatalogs()) {
            out.add(config.defaultSettings().auditSchedule());
        }
        return List.copyOf(out);
    }

    /** The tables audited on {@code schedule}: listed ones, then those discovered under the roots now. */
    public List<TableEntry> tablesOn(String schedule) {
        Map<String, TableEntry> entries = new LinkedHashMap<>();
        config.tables().forEach(t -> entries.putIfAbsent(t.path(), t));
        for (String root : config.discoverRoots()) {
            try {
                discovery.discover(root).forEach(t -> {
                    TableEntry entry = config.entryFor(t);
                    entries.putIfAbsent(entry.path(), entry);
                });
            } catch (DeltaAgentException e) {
                LOG.warn("{}", e.getMessage());
            }
        }
        catalogTables().entries().forEach((path, e) -> entries.merge(path, e,
                (old, found) -> old.catalogTable() == null ? old.withCatalogTable(found.catalogTable()) : old));
        return entries.values().stream().filter(e -> e.settings().auditSchedule().equals(schedule)).toList();
    }

    /** The settings for {@code table}, whether listed or discovered. */
    public TableEntry entryFor(String table) {
        return config.entryFor(table);
    }
}
