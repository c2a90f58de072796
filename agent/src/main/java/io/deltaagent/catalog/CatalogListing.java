package io.deltaagent.catalog;

import java.util.List;
import java.util.Objects;

/**
 * What listing one catalog found.
 *
 * @param tables the Delta tables to audit, in the catalog's order
 * @param nonDelta tables that are not Delta (Parquet, CSV, views, Iceberg ...): skipped, not errors
 * @param excluded Delta tables left out by include/exclude
 * @param managed Delta tables the catalog manages itself, reported and left to it (Unity MANAGED)
 * @param requests requests made to the catalog (pages)
 */
public record CatalogListing(String catalog, List<CatalogTable> tables, int nonDelta, int excluded, int managed, int requests) {

    public CatalogListing {
        Objects.requireNonNull(catalog, "catalog");
        tables = List.copyOf(tables);
    }

    public String summary() {
        return "catalog " + catalog + ": " + tables.size() + " Delta table(s) listed, " + nonDelta + " non-Delta skipped, "
                + excluded + " excluded" + (managed == 0 ? "" : ", " + managed + " MANAGED left to the catalog")
                + " (" + requests + " request(s))";
    }
}
