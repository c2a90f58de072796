package io.deltaagent.catalog;

import java.util.ArrayList;
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

    /** Counts what one listing meets, table by table, the same way for every catalog, and makes the listing. */
    static final class Tally {
        private final String catalog;
        private final NameFilter filter;
        private final List<CatalogTable> tables = new ArrayList<>();
        private int nonDelta;
        private int excluded;
        private int managed;
        private int requests;

        Tally(String catalog, NameFilter filter) {
            this.catalog = Objects.requireNonNull(catalog, "catalog");
            this.filter = Objects.requireNonNull(filter, "filter");
        }

        void request() {
            requests++;
        }

        /**
         * One table the catalog listed: not Delta (no location), excluded by the filter, left to the catalog, or kept.
         *
         * @param leftToCatalog a Delta table the catalog maintains itself (Unity MANAGED, unless configured otherwise)
         */
        void table(String qualified, java.util.Optional<String> location, String type, boolean leftToCatalog) {
            if (location.isEmpty()) {
                nonDelta++;
            } else if (!filter.accepts(qualified)) {
                excluded++;
            } else if (leftToCatalog) {
                managed++;
            } else {
                tables.add(new CatalogTable(catalog, qualified, location.get(), type));
            }
        }

        CatalogListing listing() {
            return new CatalogListing(catalog, tables, nonDelta, excluded, managed, requests);
        }
    }
}
