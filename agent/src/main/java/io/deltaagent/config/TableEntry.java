package io.deltaagent.config;

import java.util.Objects;

/**
 * A table named in the config (or on the command line, or found by discovery) with the settings in force for it.
 *
 * @param path the table's canonical location: its one identity, however it was reached
 * @param catalogTable what a catalog calls it when it was reached through one (or is known to one), else null
 */
public record TableEntry(String path, TableSettings settings, CatalogTableRef catalogTable) {

    public TableEntry {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(settings, "settings");
    }

    public TableEntry(String path, TableSettings settings) {
        this(path, settings, null);
    }

    public TableEntry withSettings(TableSettings newSettings) {
        return new TableEntry(path, newSettings, catalogTable);
    }

    public TableEntry withCatalogTable(CatalogTableRef ref) {
        return new TableEntry(path, settings, ref);
    }
}
