package io.deltaagent.catalog;

import java.util.Optional;

/**
 * The port to one catalog: its Delta tables and where they live. Implementations only read the catalog. Calls may
 * block on the network; {@link CatalogTables} bounds them with the catalog's deadline.
 */
public interface CatalogClient extends AutoCloseable {

    /** The catalog's name in the config. */
    String name();

    /**
     * Every Delta table of the catalog that its include/exclude globs select, every page followed.
     *
     * @throws CatalogException when the catalog cannot be listed (unreachable, denied, bad answer)
     */
    CatalogListing list();

    /**
     * The table the catalog calls {@code name}; empty when the catalog has no such table.
     *
     * @throws CatalogException when the catalog cannot be asked, or the table is not a Delta table
     */
    Optional<CatalogTable> lookup(String name);

    @Override
    void close();
}
