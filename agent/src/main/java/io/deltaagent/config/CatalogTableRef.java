package io.deltaagent.config;

import java.util.Objects;

/**
 * A table as a catalog names it: the catalog's name in the config ({@code catalogs:}) and the table's name there
 * ({@code db.table} in Glue, {@code catalog.schema.table} in Unity Catalog).
 */
public record CatalogTableRef(String catalog, String table) {

    public CatalogTableRef {
        Objects.requireNonNull(catalog, "catalog");
        Objects.requireNonNull(table, "table");
    }

    @Override
    public String toString() {
        return catalog + ":" + table;
    }
}
