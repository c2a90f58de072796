package io.deltaagent.catalog;

import io.deltaagent.error.DeltaAgentException;

/** A catalog could not be listed, or a table looked up in it; the message starts with the catalog. */
public class CatalogException extends DeltaAgentException {

    private final String catalog;

    public CatalogException(String catalog, String detail, Throwable cause) {
        super("catalog " + catalog + ": " + detail, cause);
        this.catalog = catalog;
    }

    public CatalogException(String catalog, String detail) {
        this(catalog, detail, null);
    }

    public String catalog() {
        return catalog;
    }
}
