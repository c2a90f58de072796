package io.deltaagent.catalog;

import io.deltaagent.config.CatalogTableRef;
import java.util.Objects;

/**
 * A Delta table as a catalog lists it.
 *
 * @param catalog the catalog's name in the config
 * @param name the table's name in the catalog ({@code db.table}, or {@code catalog.schema.table})
 * @param location where its files are, as the catalog states it (passed through, whatever its scheme)
 * @param tableType the catalog's table type (EXTERNAL_TABLE, MANAGED, ...), or null when it states none
 */
public record CatalogTable(String catalog, String name, String location, String tableType) {

    public CatalogTable {
        Objects.requireNonNull(catalog, "catalog");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(location, "location");
    }

    public CatalogTableRef ref() {
        return new CatalogTableRef(catalog, name);
    }
}
